using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PeopleAdmin.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class FacebookLeadAds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LeadAdConnections",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProtectedAppSecret = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedVerifyToken = table.Column<string>(type: "TEXT", nullable: false),
                    GraphVersion = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    MappingJson = table.Column<string>(type: "TEXT", nullable: true),
                    FormMappingsJson = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedMs = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadAdConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeadAdConnections_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReceivedLeads",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<int>(type: "INTEGER", nullable: false),
                    LeadgenId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FormId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AdId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    State = table.Column<byte>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ReceivedMs = table.Column<long>(type: "INTEGER", nullable: false),
                    AppliedMs = table.Column<long>(type: "INTEGER", nullable: true),
                    CioId = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReceivedLeads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReceivedLeads_Workspaces_WorkspaceId",
                        column: x => x.WorkspaceId,
                        principalTable: "Workspaces",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LeadAdPages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WorkspaceId = table.Column<int>(type: "INTEGER", nullable: false),
                    ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                    PageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProtectedAccessToken = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeadAdPages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeadAdPages_LeadAdConnections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "LeadAdConnections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LeadAdConnections_WorkspaceId",
                table: "LeadAdConnections",
                column: "WorkspaceId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LeadAdPages_ConnectionId",
                table: "LeadAdPages",
                column: "ConnectionId");

            migrationBuilder.CreateIndex(
                name: "IX_LeadAdPages_WorkspaceId_PageId",
                table: "LeadAdPages",
                columns: new[] { "WorkspaceId", "PageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReceivedLeads_State_NextAttemptMs",
                table: "ReceivedLeads",
                columns: new[] { "State", "NextAttemptMs" });

            migrationBuilder.CreateIndex(
                name: "IX_ReceivedLeads_WorkspaceId_LeadgenId",
                table: "ReceivedLeads",
                columns: new[] { "WorkspaceId", "LeadgenId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LeadAdPages");

            migrationBuilder.DropTable(
                name: "ReceivedLeads");

            migrationBuilder.DropTable(
                name: "LeadAdConnections");
        }
    }
}
