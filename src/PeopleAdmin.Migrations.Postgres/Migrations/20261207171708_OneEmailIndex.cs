using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Postgres.Migrations
{
    /// <summary>
    /// One index of People holds the email, unique on (workspace, email, EmailIsIdentifier), in place of a unique index on a
    /// copy of the email (EmailUniqueKey, set where email is an identifier) beside a plain index on the email (#21).
    /// </summary>
    public partial class OneEmailIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "EmailIsIdentifier",
                table: "People",
                type: "boolean",
                nullable: true);

            // Where the email was an identifier (its unique key was set), it still is.
            migrationBuilder.Sql("UPDATE \"People\" SET \"EmailIsIdentifier\" = TRUE WHERE \"EmailUniqueKey\" IS NOT NULL;");

            migrationBuilder.DropIndex(
                name: "IX_People_WorkspaceId_EmailNormalized",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_WorkspaceId_EmailUniqueKey",
                table: "People");

            migrationBuilder.DropColumn(
                name: "EmailUniqueKey",
                table: "People");

            migrationBuilder.CreateIndex(
                name: "IX_People_WorkspaceId_EmailNormalized_EmailIsIdentifier",
                table: "People",
                columns: new[] { "WorkspaceId", "EmailNormalized", "EmailIsIdentifier" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EmailUniqueKey",
                table: "People",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.Sql("UPDATE \"People\" SET \"EmailUniqueKey\" = \"EmailNormalized\" WHERE \"EmailIsIdentifier\" = TRUE;");

            migrationBuilder.DropIndex(
                name: "IX_People_WorkspaceId_EmailNormalized_EmailIsIdentifier",
                table: "People");

            migrationBuilder.DropColumn(
                name: "EmailIsIdentifier",
                table: "People");

            migrationBuilder.CreateIndex(
                name: "IX_People_WorkspaceId_EmailNormalized",
                table: "People",
                columns: new[] { "WorkspaceId", "EmailNormalized" });

            migrationBuilder.CreateIndex(
                name: "IX_People_WorkspaceId_EmailUniqueKey",
                table: "People",
                columns: new[] { "WorkspaceId", "EmailUniqueKey" },
                unique: true);
        }
    }
}
