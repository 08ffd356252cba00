using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ImportPeople : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddUniqueConstraint(
                name: "AK_Imports_WorkspaceId_Id",
                table: "Imports",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.CreateTable(
                name: "ImportPeople",
                columns: table => new
                {
                    WorkspaceId = table.Column<int>(type: "INTEGER", nullable: false),
                    ImportId = table.Column<long>(type: "INTEGER", nullable: false),
                    CioId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Outcome = table.Column<byte>(type: "INTEGER", nullable: false),
                    Row = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportPeople", x => new { x.WorkspaceId, x.ImportId, x.CioId });
                    table.ForeignKey(
                        name: "FK_ImportPeople_Imports_WorkspaceId_ImportId",
                        columns: x => new { x.WorkspaceId, x.ImportId },
                        principalTable: "Imports",
                        principalColumns: new[] { "WorkspaceId", "Id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportPeople_WorkspaceId_ImportId_Row",
                table: "ImportPeople",
                columns: new[] { "WorkspaceId", "ImportId", "Row" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportPeople");

            migrationBuilder.DropUniqueConstraint(
                name: "AK_Imports_WorkspaceId_Id",
                table: "Imports");
        }
    }
}
