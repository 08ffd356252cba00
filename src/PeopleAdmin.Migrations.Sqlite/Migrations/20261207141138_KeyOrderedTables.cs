using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <summary>
    /// Keeps a person's attributes and the people of an import in their keys' order (WITHOUT ROWID; see
    /// PeopleAdmin.Core.Data.KeyOrderedTables), which EF Core cannot say: each table is made again under a new name, its
    /// rows copied in key order, the old one dropped and the new one renamed. Nothing references either table, so
    /// the copy keeps every link. The index of attributes by (workspace, person, name) goes: the table is that order.
    /// </summary>
    public partial class KeyOrderedTables : Migration
    {
        private const string AttributeColumns = "\"WorkspaceId\", \"PersonId\", \"Name\", \"NumberValue\", \"SetMs\", \"TextValue\", \"Timestamp\", \"Type\"";

        private const string ImportPeopleColumns = "\"WorkspaceId\", \"ImportId\", \"CioId\", \"Outcome\", \"Row\"";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, "PersonAttributes", AttributesTable, AttributeColumns, "\"WorkspaceId\", \"PersonId\", \"Name\"", withoutRowid: true);
            AttributeValueIndexes(migrationBuilder);
            Rebuild(migrationBuilder, "ImportPeople", ImportPeopleTable, ImportPeopleColumns, "\"WorkspaceId\", \"ImportId\", \"CioId\"", withoutRowid: true);
            ImportPeopleIndex(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Rebuild(migrationBuilder, "PersonAttributes", AttributesTable, AttributeColumns, "\"WorkspaceId\", \"PersonId\", \"Name\"", withoutRowid: false);
            AttributeValueIndexes(migrationBuilder);
            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_WorkspaceId_PersonId_Name_Values",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "PersonId", "Name", "TextValue", "NumberValue" });
            Rebuild(migrationBuilder, "ImportPeople", ImportPeopleTable, ImportPeopleColumns, "\"WorkspaceId\", \"ImportId\", \"CioId\"", withoutRowid: false);
            ImportPeopleIndex(migrationBuilder);
        }

        private const string AttributesTable = """
            "WorkspaceId" INTEGER NOT NULL,
            "PersonId" INTEGER NOT NULL,
            "Name" TEXT NOT NULL,
            "NumberValue" REAL NULL,
            "SetMs" INTEGER NOT NULL,
            "TextValue" TEXT NOT NULL,
            "Timestamp" INTEGER NULL,
            "Type" INTEGER NOT NULL,
            CONSTRAINT "PK_PersonAttributes" PRIMARY KEY ("WorkspaceId", "PersonId", "Name"),
            CONSTRAINT "FK_PersonAttributes_People_WorkspaceId_PersonId" FOREIGN KEY ("WorkspaceId", "PersonId") REFERENCES "People" ("WorkspaceId", "Id") ON DELETE CASCADE
            """;

        private const string ImportPeopleTable = """
            "WorkspaceId" INTEGER NOT NULL,
            "ImportId" INTEGER NOT NULL,
            "CioId" TEXT NOT NULL,
            "Outcome" INTEGER NOT NULL,
            "Row" INTEGER NOT NULL,
            CONSTRAINT "PK_ImportPeople" PRIMARY KEY ("WorkspaceId", "ImportId", "CioId"),
            CONSTRAINT "FK_ImportPeople_Imports_WorkspaceId_ImportId" FOREIGN KEY ("WorkspaceId", "ImportId") REFERENCES "Imports" ("WorkspaceId", "Id") ON DELETE CASCADE
            """;

        private static void Rebuild(MigrationBuilder migrationBuilder, string table, string definition, string columns, string key, bool withoutRowid)
        {
            var temporary = "ef_temp_" + table;
            migrationBuilder.Sql($"CREATE TABLE \"{temporary}\" (\n{definition}\n){(withoutRowid ? " WITHOUT ROWID" : "")};");
            migrationBuilder.Sql($"INSERT INTO \"{temporary}\" ({columns}) SELECT {columns} FROM \"{table}\" ORDER BY {key};");
            migrationBuilder.Sql($"DROP TABLE \"{table}\";");
            migrationBuilder.Sql($"ALTER TABLE \"{temporary}\" RENAME TO \"{table}\";");
        }

        private static void AttributeValueIndexes(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_WorkspaceId_Name_NumberValue",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "Name", "NumberValue" },
                filter: "\"NumberValue\" IS NOT NULL");
            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_WorkspaceId_Name_TextValue",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "Name", "TextValue" });
        }

        private static void ImportPeopleIndex(MigrationBuilder migrationBuilder) =>
            migrationBuilder.CreateIndex(
                name: "IX_ImportPeople_WorkspaceId_ImportId_Row",
                table: "ImportPeople",
                columns: new[] { "WorkspaceId", "ImportId", "Row" });
    }
}
