using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SemiCmr.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RawImportReport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Format",
                table: "Datasets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ImageEncoder",
                table: "Datasets",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Skipped",
                table: "Datasets",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Format",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "ImageEncoder",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "Skipped",
                table: "Datasets");
        }
    }
}
