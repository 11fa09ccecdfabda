using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SemiCmr.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ImportLeaseExpiresAt",
                table: "Datasets",
                type: "timestamp with time zone",
                nullable: true);

            // Imports in progress when this version arrives hold no lease, so none would ever expire: start them expired,
            // and the first instance up fails them as an interrupted import (Datasets.ImportLeases).
            migrationBuilder.Sql("""UPDATE "Datasets" SET "ImportLeaseExpiresAt" = now() WHERE "Status" = 'Importing'""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ImportLeaseExpiresAt",
                table: "Datasets");
        }
    }
}
