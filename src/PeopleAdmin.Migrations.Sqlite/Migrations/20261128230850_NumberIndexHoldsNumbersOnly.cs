using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class NumberIndexHoldsNumbersOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PersonAttributes_WorkspaceId_Name_NumberValue",
                table: "PersonAttributes");

            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_WorkspaceId_Name_NumberValue",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "Name", "NumberValue" },
                filter: "\"NumberValue\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PersonAttributes_WorkspaceId_Name_NumberValue",
                table: "PersonAttributes");

            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_WorkspaceId_Name_NumberValue",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "Name", "NumberValue" });
        }
    }
}
