using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DatabaseSync : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SyncConnections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<byte>(type: "INTEGER", nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Port = table.Column<int>(type: "INTEGER", nullable: false),
                    Database = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    User = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ProtectedPassword = table.Column<string>(type: "TEXT", nullable: false),
                    SslMode = table.Column<byte>(type: "INTEGER", nullable: false),
                    CreatedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedMs = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "Syncs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Query = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    IntervalMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    Identifier = table.Column<byte>(type: "INTEGER", nullable: false),
                    DataToProcess = table.Column<byte>(type: "INTEGER", nullable: false),
                    EmptyValues = table.Column<byte>(type: "INTEGER", nullable: false),
                    SegmentName = table.Column<string>(type: "TEXT", maxLength: 150, nullable: true),
                    Paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    LastSyncTimeMs = table.Column<long>(type: "INTEGER", nullable: true),
                    NextRunMs = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedMs = table.Column<long>(type: "INTEGER", nullable: false)
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
                name: "SyncRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<int>(type: "INTEGER", nullable: false),
                    SyncId = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<byte>(type: "INTEGER", nullable: false),
                    Manual = table.Column<bool>(type: "INTEGER", nullable: false),
                    QueuedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    StartedMs = table.Column<long>(type: "INTEGER", nullable: true),
                    FinishedMs = table.Column<long>(type: "INTEGER", nullable: true),
                    HeartbeatMs = table.Column<long>(type: "INTEGER", nullable: true),
                    RowsRead = table.Column<long>(type: "INTEGER", nullable: false),
                    RowsCreated = table.Column<long>(type: "INTEGER", nullable: false),
                    RowsUpdated = table.Column<long>(type: "INTEGER", nullable: false),
                    RowsSkipped = table.Column<long>(type: "INTEGER", nullable: false),
                    RowsFailed = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Warning = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ErrorsReport = table.Column<string>(type: "TEXT", nullable: true)
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
                name: "SyncRuns");

            migrationBuilder.DropTable(
                name: "Syncs");

            migrationBuilder.DropTable(
                name: "SyncConnections");
        }
    }
}
