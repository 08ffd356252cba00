using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class WorkspaceLeadingKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "PK_Suppressions",
                table: "Suppressions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Segments",
                table: "Segments");

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

            migrationBuilder.DropPrimaryKey(
                name: "PK_People",
                table: "People");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ObjectTypes",
                table: "ObjectTypes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Objects",
                table: "Objects");

            migrationBuilder.DropIndex(
                name: "IX_Objects_ObjectTypeRowId",
                table: "Objects");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MergeRecords",
                table: "MergeRecords");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Forms",
                table: "Forms");

            migrationBuilder.DropPrimaryKey(
                name: "PK_FormFields",
                table: "FormFields");

            migrationBuilder.DropIndex(
                name: "IX_FormFields_FormRowId",
                table: "FormFields");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Devices",
                table: "Devices");

            migrationBuilder.DropIndex(
                name: "IX_Devices_PersonId",
                table: "Devices");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Activities",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_PersonId_Id",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_WorkspaceId_Id",
                table: "Activities");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Suppressions",
                table: "Suppressions",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Segments",
                table: "Segments",
                columns: new[] { "WorkspaceId", "Id" });

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

            migrationBuilder.AddPrimaryKey(
                name: "PK_People",
                table: "People",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_ObjectTypes",
                table: "ObjectTypes",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Objects",
                table: "Objects",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_MergeRecords",
                table: "MergeRecords",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Forms",
                table: "Forms",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_FormFields",
                table: "FormFields",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Devices",
                table: "Devices",
                columns: new[] { "WorkspaceId", "Id" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_Activities",
                table: "Activities",
                columns: new[] { "WorkspaceId", "Id" });

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

            migrationBuilder.DropPrimaryKey(
                name: "PK_Suppressions",
                table: "Suppressions");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Segments",
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

            migrationBuilder.DropPrimaryKey(
                name: "PK_People",
                table: "People");

            migrationBuilder.DropPrimaryKey(
                name: "PK_ObjectTypes",
                table: "ObjectTypes");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Objects",
                table: "Objects");

            migrationBuilder.DropPrimaryKey(
                name: "PK_MergeRecords",
                table: "MergeRecords");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Forms",
                table: "Forms");

            migrationBuilder.DropPrimaryKey(
                name: "PK_FormFields",
                table: "FormFields");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Devices",
                table: "Devices");

            migrationBuilder.DropIndex(
                name: "IX_Devices_WorkspaceId_PersonId",
                table: "Devices");

            migrationBuilder.DropPrimaryKey(
                name: "PK_Activities",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Activities_WorkspaceId_PersonId_Id",
                table: "Activities");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Suppressions",
                table: "Suppressions",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Segments",
                table: "Segments",
                column: "Id");

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

            migrationBuilder.AddPrimaryKey(
                name: "PK_People",
                table: "People",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ObjectTypes",
                table: "ObjectTypes",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Objects",
                table: "Objects",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_MergeRecords",
                table: "MergeRecords",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Forms",
                table: "Forms",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_FormFields",
                table: "FormFields",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Devices",
                table: "Devices",
                column: "Id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_Activities",
                table: "Activities",
                column: "Id");

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

            migrationBuilder.CreateIndex(
                name: "IX_Activities_WorkspaceId_Id",
                table: "Activities",
                columns: new[] { "WorkspaceId", "Id" });

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
