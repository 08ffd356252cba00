using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PeopleAdmin.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ObjectsSyncsAndAttributeValuesByPerson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ObjectTypes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<int>(type: "integer", nullable: false),
                    TypeId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false, collation: "C"),
                    CreatedMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ObjectTypes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ObjectTypes_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncConnections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    Kind = table.Column<byte>(type: "smallint", nullable: false),
                    Host = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false, collation: "C"),
                    Port = table.Column<int>(type: "integer", nullable: false),
                    Database = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    User = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    ProtectedPassword = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    SslMode = table.Column<byte>(type: "smallint", nullable: false),
                    CreatedMs = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncConnections_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Objects",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<int>(type: "integer", nullable: false),
                    ObjectTypeRowId = table.Column<int>(type: "integer", nullable: false),
                    ObjectId = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: false, collation: "C"),
                    CioObjectId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false, collation: "C"),
                    Attributes = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedMs = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Objects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Objects_ObjectTypes_ObjectTypeRowId",
                        column: x => x.ObjectTypeRowId,
                        principalTable: "ObjectTypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Syncs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    ConnectionId = table.Column<long>(type: "bigint", nullable: false),
                    Query = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false, collation: "C"),
                    IntervalMinutes = table.Column<int>(type: "integer", nullable: false),
                    Identifier = table.Column<byte>(type: "smallint", nullable: false),
                    DataToProcess = table.Column<byte>(type: "smallint", nullable: false),
                    EmptyValues = table.Column<byte>(type: "smallint", nullable: false),
                    SegmentName = table.Column<string>(type: "character varying(150)", maxLength: 150, nullable: true, collation: "C"),
                    Paused = table.Column<bool>(type: "boolean", nullable: false),
                    LastSyncTimeMs = table.Column<long>(type: "bigint", nullable: true),
                    NextRunMs = table.Column<long>(type: "bigint", nullable: false),
                    CreatedMs = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Syncs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Syncs_SyncConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "SyncConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Syncs_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Relationships",
                columns: table => new
                {
                    ObjectRowId = table.Column<long>(type: "bigint", nullable: false),
                    PersonId = table.Column<long>(type: "bigint", nullable: false),
                    WorkspaceId = table.Column<int>(type: "integer", nullable: false),
                    Attributes = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedMs = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedMs = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Relationships", x => new { x.ObjectRowId, x.PersonId });
                    table.ForeignKey(
                        name: "FK_Relationships_Objects_ObjectRowId",
                        column: x => x.ObjectRowId,
                        principalTable: "Objects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Relationships_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SyncRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    WorkspaceId = table.Column<int>(type: "integer", nullable: false),
                    SyncId = table.Column<long>(type: "bigint", nullable: false),
                    State = table.Column<byte>(type: "smallint", nullable: false),
                    Manual = table.Column<bool>(type: "boolean", nullable: false),
                    QueuedMs = table.Column<long>(type: "bigint", nullable: false),
                    StartedMs = table.Column<long>(type: "bigint", nullable: true),
                    FinishedMs = table.Column<long>(type: "bigint", nullable: true),
                    HeartbeatMs = table.Column<long>(type: "bigint", nullable: true),
                    RowsRead = table.Column<long>(type: "bigint", nullable: false),
                    RowsCreated = table.Column<long>(type: "bigint", nullable: false),
                    RowsUpdated = table.Column<long>(type: "bigint", nullable: false),
                    RowsSkipped = table.Column<long>(type: "bigint", nullable: false),
                    RowsFailed = table.Column<long>(type: "bigint", nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    Warning = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C"),
                    ErrorsReport = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SyncRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SyncRuns_Syncs_SyncId",
                        column: x => x.SyncId,
                        principalTable: "Syncs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersonAttributes_PersonId_Name_TextValue_NumberValue",
                table: "PersonAttributes",
                columns: new[] { "PersonId", "Name", "TextValue", "NumberValue" });

            migrationBuilder.CreateIndex(
                name: "IX_Objects_ObjectTypeRowId",
                table: "Objects",
                column: "ObjectTypeRowId");

            migrationBuilder.CreateIndex(
                name: "IX_Objects_WorkspaceId_CioObjectId",
                table: "Objects",
                columns: new[] { "WorkspaceId", "CioObjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Objects_WorkspaceId_ObjectTypeRowId_ObjectId",
                table: "Objects",
                columns: new[] { "WorkspaceId", "ObjectTypeRowId", "ObjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ObjectTypes_WorkspaceId_Name",
                table: "ObjectTypes",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ObjectTypes_WorkspaceId_TypeId",
                table: "ObjectTypes",
                columns: new[] { "WorkspaceId", "TypeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Relationships_PersonId_ObjectRowId",
                table: "Relationships",
                columns: new[] { "PersonId", "ObjectRowId" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncConnections_WorkspaceId_Name",
                table: "SyncConnections",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_OneActivePerSync",
                table: "SyncRuns",
                column: "SyncId",
                unique: true,
                filter: "\"State\" IN (1, 2)");

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_State_Id",
                table: "SyncRuns",
                columns: new[] { "State", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_SyncRuns_SyncId_Id",
                table: "SyncRuns",
                columns: new[] { "SyncId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Syncs_ConnectionId",
                table: "Syncs",
                column: "ConnectionId");

            migrationBuilder.CreateIndex(
                name: "IX_Syncs_Paused_NextRunMs",
                table: "Syncs",
                columns: new[] { "Paused", "NextRunMs" });

            migrationBuilder.CreateIndex(
                name: "IX_Syncs_WorkspaceId_Name",
                table: "Syncs",
                columns: new[] { "WorkspaceId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Relationships");

            migrationBuilder.DropTable(
                name: "SyncRuns");

            migrationBuilder.DropTable(
                name: "Objects");

            migrationBuilder.DropTable(
                name: "Syncs");

            migrationBuilder.DropTable(
                name: "ObjectTypes");

            migrationBuilder.DropTable(
                name: "SyncConnections");

            migrationBuilder.DropIndex(
                name: "IX_PersonAttributes_PersonId_Name_TextValue_NumberValue",
                table: "PersonAttributes");
        }
    }
}
