using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AttributeValuesByPerson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_PersonId_Name_TextValue_NumberValue",
                table: "PersonAttributes",
                columns: new[] { "PersonId", "Name", "TextValue", "NumberValue" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PersonAttributes_PersonId_Name_TextValue_NumberValue",
                table: "PersonAttributes");
        }
    }
}
