using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class SyncRunsThroughImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ErrorsReport",
                table: "SyncRuns");

            migrationBuilder.AddColumn<long>(
                name: "ImportId",
                table: "SyncRuns",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "Imports",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "csv",
                collation: "C");

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_ImportId",
                table: "SyncRuns",
                column: "ImportId");

            migrationBuilder.AddForeignKey(
                name: "FK_SyncRuns_Imports_ImportId",
                table: "SyncRuns",
                column: "ImportId",
                principalTable: "Imports",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_SyncRuns_Imports_ImportId",
                table: "SyncRuns");

            migrationBuilder.DropIndex(
                name: "IX_SyncRuns_ImportId",
                table: "SyncRuns");

            migrationBuilder.DropColumn(
                name: "ImportId",
                table: "SyncRuns");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "Imports");

            migrationBuilder.AddColumn<string>(
                name: "ErrorsReport",
                table: "SyncRuns",
                type: "text",
                nullable: true,
                collation: "C");
        }
    }
}
