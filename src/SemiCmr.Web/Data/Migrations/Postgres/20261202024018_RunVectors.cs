using Microsoft.EntityFrameworkCore.Migrations;
using Pgvector;

#nullable disable

namespace SemiCmr.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunVectors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RunVectors",
                columns: table => new
                {
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Side = table.Column<short>(type: "smallint", nullable: false),
                    Row = table.Column<int>(type: "integer", nullable: false),
                    Embedding = table.Column<Vector>(type: "vector", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RunVectors", x => new { x.RunId, x.Side, x.Row });
                    table.ForeignKey(
                        name: "FK_RunVectors_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RunVectors");
        }
    }
}
