using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
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
                type: "INTEGER",
                nullable: true);

            // Where the email was an identifier (its unique key was set), it still is.
            migrationBuilder.Sql("UPDATE People SET EmailIsIdentifier = 1 WHERE EmailUniqueKey IS NOT NULL;");

            migrationBuilder.DropIndex(
                name: "IX_People_WorkspaceId_EmailNormalized",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_WorkspaceId_EmailUniqueKey",
                table: "People");

            // SQLite's own DROP COLUMN: EF Core would rebuild the table, writing every person again and turning its alternate key
            // (AK_People_WorkspaceId_Id) into a constraint of the table, which later migrations do not know by name.
            migrationBuilder.Sql("ALTER TABLE \"People\" DROP COLUMN \"EmailUniqueKey\";");

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
                type: "TEXT",
                nullable: true);

            migrationBuilder.Sql("UPDATE People SET EmailUniqueKey = EmailNormalized WHERE EmailIsIdentifier = 1;");

            migrationBuilder.DropIndex(
                name: "IX_People_WorkspaceId_EmailNormalized_EmailIsIdentifier",
                table: "People");

            // SQLite's own DROP COLUMN: EF Core would rebuild the table, writing every person again and turning its alternate key
            // (AK_People_WorkspaceId_Id) into a constraint of the table, which later migrations do not know by name.
            migrationBuilder.Sql("ALTER TABLE \"People\" DROP COLUMN \"EmailIsIdentifier\";");

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
