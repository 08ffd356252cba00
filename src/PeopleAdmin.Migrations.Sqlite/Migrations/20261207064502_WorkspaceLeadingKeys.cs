using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class WorkspaceLeadingKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The keys that the rebuilt tables' foreign keys name come first, as unique indexes: SQLite copies each rebuilt
            // table's rows under its foreign keys, and a unique index needs no rebuild of a table as large as People.
            migrationBuilder.CreateIndex(
                name: "AK_Segments_WorkspaceId_Id",
                table: "Segments",
                columns: new[] { "WorkspaceId", "Id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "AK_People_WorkspaceId_Id",
                table: "People",
                columns: new[] { "WorkspaceId", "Id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "AK_ObjectTypes_WorkspaceId_Id",
                table: "ObjectTypes",
                columns: new[] { "WorkspaceId", "Id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "AK_Objects_WorkspaceId_Id",
                table: "Objects",
                columns: new[] { "WorkspaceId", "Id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "AK_Forms_WorkspaceId_Id",
                table: "Forms",
                columns: new[] { "WorkspaceId", "Id" },
                unique: true);

            migrationBuilder.DropForeignKey(
                name: "FK_Activities_People_PersonId",
                table: "Activities");

            migrationBuilder.DropForeignKey(
                name: "FK_Devices_People_PersonId",
                table: "Devices");

            migrationBuilder.DropForeignKey(
                name: "FK_FormFields_Forms_FormRowId",
                table: "FormFields");

            migrationBuilder.DropForeignKey(
                name: "FK_Objects_ObjectTypes_ObjectTypeRowId",
                table: "Objects");

            migrationBuilder.DropForeignKey(
                name: "FK_PersonAttributes_People_PersonId",
                table: "PersonAttributes");

            migrationBuilder.DropForeignKey(
                name: "FK_Relationships_Objects_ObjectRowId",
                table: "Relationships");

            migrationBuilder.DropForeignKey(
                name: "FK_Relationships_People_PersonId",
                table: "Relationships");

            migrationBuilder.DropForeignKey(
                name: "FK_SegmentMemberships_People_PersonId",
                table: "SegmentMemberships");

            migrationBuilder.DropForeignKey(
                name: "FK_SegmentMemberships_Segments_SegmentId",
                table: "SegmentMemberships");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SegmentMemberships",
                table: "SegmentMemberships");

            migrationBuilder.DropIndex(
                name: "IX_SegmentMemberships_PersonId",
                table: "SegmentMemberships");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Relationships",
                table: "Relationships");

            migrationBuilder.DropIndex(
                name: "IX_Relationships_PersonId_ObjectRowId",
                table: "Relationships");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PersonAttributes",
                table: "PersonAttributes");

            migrationBuilder.DropIndex(
                name: "IX_Objects_ObjectTypeRowId",
                table: "Objects");

            migrationBuilder.DropIndex(
                name: "IX_FormFields_FormRowId",
                table: "FormFields");

            migrationBuilder.DropIndex(
                name: "IX_Devices_PersonId",
                table: "Devices");

            migrationBuilder.DropIndex(
                name: "IX_Activities_PersonId_Id",
                table: "Activities");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SegmentMemberships",
                table: "SegmentMemberships",
                columns: new[] { "WorkspaceId", "SegmentId", "PersonId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Relationships",
                table: "Relationships",
                columns: new[] { "WorkspaceId", "ObjectRowId", "PersonId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_PersonAttributes",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "PersonId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_SegmentMemberships_WorkspaceId_PersonId",
                table: "SegmentMemberships",
                columns: new[] { "WorkspaceId", "PersonId" });

            migrationBuilder.CreateIndex(
                name: "IX_Relationships_WorkspaceId_PersonId_ObjectRowId",
                table: "Relationships",
                columns: new[] { "WorkspaceId", "PersonId", "ObjectRowId" });

            migrationBuilder.CreateIndex(
                name: "IX_Devices_WorkspaceId_PersonId",
                table: "Devices",
                columns: new[] { "WorkspaceId", "PersonId" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_WorkspaceId_PersonId_Id",
                table: "Activities",
                columns: new[] { "WorkspaceId", "PersonId", "Id" });

            migrationBuilder.DropIndex(
                name: "IX_PersonAttributes_PersonId_Name_TextValue_NumberValue",
                table: "PersonAttributes");

            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_WorkspaceId_PersonId_Name_Values",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "PersonId", "Name", "TextValue", "NumberValue" });

            migrationBuilder.AddForeignKey(
                name: "FK_Activities_People_WorkspaceId_PersonId",
                table: "Activities",
                columns: new[] { "WorkspaceId", "PersonId" },
                principalTable: "People",
                principalColumns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddForeignKey(
                name: "FK_Devices_People_WorkspaceId_PersonId",
                table: "Devices",
                columns: new[] { "WorkspaceId", "PersonId" },
                principalTable: "People",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_FormFields_Forms_WorkspaceId_FormRowId",
                table: "FormFields",
                columns: new[] { "WorkspaceId", "FormRowId" },
                principalTable: "Forms",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Objects_ObjectTypes_WorkspaceId_ObjectTypeRowId",
                table: "Objects",
                columns: new[] { "WorkspaceId", "ObjectTypeRowId" },
                principalTable: "ObjectTypes",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_PersonAttributes_People_WorkspaceId_PersonId",
                table: "PersonAttributes",
                columns: new[] { "WorkspaceId", "PersonId" },
                principalTable: "People",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Relationships_Objects_WorkspaceId_ObjectRowId",
                table: "Relationships",
                columns: new[] { "WorkspaceId", "ObjectRowId" },
                principalTable: "Objects",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Relationships_People_WorkspaceId_PersonId",
                table: "Relationships",
                columns: new[] { "WorkspaceId", "PersonId" },
                principalTable: "People",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_SegmentMemberships_People_WorkspaceId_PersonId",
                table: "SegmentMemberships",
                columns: new[] { "WorkspaceId", "PersonId" },
                principalTable: "People",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_SegmentMemberships_Segments_WorkspaceId_SegmentId",
                table: "SegmentMemberships",
                columns: new[] { "WorkspaceId", "SegmentId" },
                principalTable: "Segments",
                principalColumns: new[] { "WorkspaceId", "Id" },
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Activities_People_WorkspaceId_PersonId",
                table: "Activities");

            migrationBuilder.DropForeignKey(
                name: "FK_Devices_People_WorkspaceId_PersonId",
                table: "Devices");

            migrationBuilder.DropForeignKey(
                name: "FK_FormFields_Forms_WorkspaceId_FormRowId",
                table: "FormFields");

            migrationBuilder.DropForeignKey(
                name: "FK_Objects_ObjectTypes_WorkspaceId_ObjectTypeRowId",
                table: "Objects");

            migrationBuilder.DropForeignKey(
                name: "FK_PersonAttributes_People_WorkspaceId_PersonId",
                table: "PersonAttributes");

            migrationBuilder.DropForeignKey(
                name: "FK_Relationships_Objects_WorkspaceId_ObjectRowId",
                table: "Relationships");

            migrationBuilder.DropForeignKey(
                name: "FK_Relationships_People_WorkspaceId_PersonId",
                table: "Relationships");

            migrationBuilder.DropForeignKey(
                name: "FK_SegmentMemberships_People_WorkspaceId_PersonId",
                table: "SegmentMemberships");

            migrationBuilder.DropForeignKey(
                name: "FK_SegmentMemberships_Segments_WorkspaceId_SegmentId",
                table: "SegmentMemberships");

            migrationBuilder.DropIndex(
                name: "AK_Segments_WorkspaceId_Id",
                table: "Segments");

            migrationBuilder.DropPrimaryKey(
                name: "PK_SegmentMemberships",
                table: "SegmentMemberships");

            migrationBuilder.DropIndex(
                name: "IX_SegmentMemberships_WorkspaceId_PersonId",
                table: "SegmentMemberships");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Relationships",
                table: "Relationships");

            migrationBuilder.DropIndex(
                name: "IX_Relationships_WorkspaceId_PersonId_ObjectRowId",
                table: "Relationships");

            migrationBuilder.DropPrimaryKey(
                name: "PK_PersonAttributes",
                table: "PersonAttributes");

            migrationBuilder.DropIndex(
                name: "AK_People_WorkspaceId_Id",
                table: "People");

            migrationBuilder.DropIndex(
                name: "AK_ObjectTypes_WorkspaceId_Id",
                table: "ObjectTypes");

            // Objects' key (WorkspaceId, Id) is no index of its own to drop: Up rebuilt the table (its foreign key changed)
            // with the key inside it, and rebuilding it again for its old foreign key below leaves the key out.
            migrationBuilder.DropIndex(
                name: "AK_Forms_WorkspaceId_Id",
                table: "Forms");

            migrationBuilder.DropIndex(
                name: "IX_Devices_WorkspaceId_PersonId",
                table: "Devices");

            migrationBuilder.DropIndex(
                name: "IX_Activities_WorkspaceId_PersonId_Id",
                table: "Activities");

            migrationBuilder.AddPrimaryKey(
                name: "PK_SegmentMemberships",
                table: "SegmentMemberships",
                columns: new[] { "SegmentId", "PersonId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Relationships",
                table: "Relationships",
                columns: new[] { "ObjectRowId", "PersonId" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_PersonAttributes",
                table: "PersonAttributes",
                columns: new[] { "PersonId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_SegmentMemberships_PersonId",
                table: "SegmentMemberships",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_Relationships_PersonId_ObjectRowId",
                table: "Relationships",
                columns: new[] { "PersonId", "ObjectRowId" });

            migrationBuilder.CreateIndex(
                name: "IX_Objects_ObjectTypeRowId",
                table: "Objects",
                column: "ObjectTypeRowId");

            migrationBuilder.CreateIndex(
                name: "IX_FormFields_FormRowId",
                table: "FormFields",
                column: "FormRowId");

            migrationBuilder.CreateIndex(
                name: "IX_Devices_PersonId",
                table: "Devices",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_PersonId_Id",
                table: "Activities",
                columns: new[] { "PersonId", "Id" });

            migrationBuilder.DropIndex(
                name: "IX_PersonAttributes_WorkspaceId_PersonId_Name_Values",
                table: "PersonAttributes");

            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_PersonId_Name_TextValue_NumberValue",
                table: "PersonAttributes",
                columns: new[] { "PersonId", "Name", "TextValue", "NumberValue" });

            migrationBuilder.AddForeignKey(
                name: "FK_Activities_People_PersonId",
                table: "Activities",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_Devices_People_PersonId",
                table: "Devices",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_FormFields_Forms_FormRowId",
                table: "FormFields",
                column: "FormRowId",
                principalTable: "Forms",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Objects_ObjectTypes_ObjectTypeRowId",
                table: "Objects",
                column: "ObjectTypeRowId",
                principalTable: "ObjectTypes",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_PersonAttributes_People_PersonId",
                table: "PersonAttributes",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Relationships_Objects_ObjectRowId",
                table: "Relationships",
                column: "ObjectRowId",
                principalTable: "Objects",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_Relationships_People_PersonId",
                table: "Relationships",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_SegmentMemberships_People_PersonId",
                table: "SegmentMemberships",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_SegmentMemberships_Segments_SegmentId",
                table: "SegmentMemberships",
                column: "SegmentId",
                principalTable: "Segments",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
