using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SemiCmr.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TruncatedTexts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Truncated",
                table: "Datasets",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Truncated",
                table: "Datasets");
        }
    }
}
