using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ActivityEntriesNameTheirOperator : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Actor",
                table: "Activities",
                type: "TEXT",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Actor",
                table: "Activities");
        }
    }
}
