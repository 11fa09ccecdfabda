using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SemiCmr.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ItemLabels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ItemLabels",
                columns: table => new
                {
                    DatasetId = table.Column<int>(type: "INTEGER", nullable: false),
                    ClassIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    Row = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ItemLabels", x => new { x.DatasetId, x.ClassIndex, x.Row });
                    table.ForeignKey(
                        name: "FK_ItemLabels_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.AddColumn<bool>(
                name: "HasLabels",
                table: "Items",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Existing items keep their labels: one row per entry of the JSON column, and HasLabels from the same
            // entries, before the column goes. OR IGNORE: a label listed twice is one row.
            migrationBuilder.Sql("""
                INSERT OR IGNORE INTO "ItemLabels" ("DatasetId", "ClassIndex", "Row")
                SELECT i."DatasetId", CAST(j."value" AS INTEGER), i."Row" FROM "Items" AS i, json_each(i."Labels") AS j;
                """);
            migrationBuilder.Sql("""UPDATE "Items" SET "HasLabels" = json_array_length("Labels") > 0;""");

            // SQLite's own DROP COLUMN (3.35+) in place of EF Core's rebuild of the table, which would copy a million
            // items and build every index twice.
            migrationBuilder.Sql("""ALTER TABLE "Items" DROP COLUMN "Labels";""");

            migrationBuilder.CreateIndex(
                name: "IX_Items_DatasetId_HasLabels_Row",
                table: "Items",
                columns: new[] { "DatasetId", "HasLabels", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_Items_DatasetId_Split_HasLabels_Row",
                table: "Items",
                columns: new[] { "DatasetId", "Split", "HasLabels", "Row" });

            migrationBuilder.CreateIndex(
                name: "IX_ItemLabels_DatasetId_Row_ClassIndex",
                table: "ItemLabels",
                columns: new[] { "DatasetId", "Row", "ClassIndex" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Labels",
                table: "Items",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            // Back into the JSON column, classes ascending as the app wrote them.
            migrationBuilder.Sql("""
                UPDATE "Items" SET "Labels" = (
                    SELECT json_group_array(l."ClassIndex") FROM (
                        SELECT "ClassIndex" FROM "ItemLabels" WHERE "DatasetId" = "Items"."DatasetId" AND "Row" = "Items"."Row" ORDER BY "ClassIndex") AS l);
                """);

            migrationBuilder.DropTable(
                name: "ItemLabels");

            migrationBuilder.DropIndex(
                name: "IX_Items_DatasetId_HasLabels_Row",
                table: "Items");

            migrationBuilder.DropIndex(
                name: "IX_Items_DatasetId_Split_HasLabels_Row",
                table: "Items");

            migrationBuilder.DropColumn(
                name: "HasLabels",
                table: "Items");
        }
    }
}
