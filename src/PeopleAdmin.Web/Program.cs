using PeopleAdmin.Web.Components;
using PeopleAdmin.Web.Components.Account;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.AppApi;
using PeopleAdmin.Web.Features.Audit;
using PeopleAdmin.Web.Features.BulkActions;
using PeopleAdmin.Web.Features.Exports;
using PeopleAdmin.Web.Features.Forms;
using PeopleAdmin.Web.Features.Health;
using PeopleAdmin.Web.Features.Imports;
using PeopleAdmin.Web.Features.LeadAds;
using PeopleAdmin.Web.Features.ManagementApi;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Features.Snippet;
using PeopleAdmin.Web.Features.Syncs;
using PeopleAdmin.Web.Features.Rules;
using PeopleAdmin.Web.Features.TrackApi;
using PeopleAdmin.Web.Features.Workspaces;
using PeopleAdmin.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(HostArguments.For(args));

builder.AddPeopleAdminData();
builder.AddPublicAddress();
builder.AddPeopleAdminOperators();
builder.AddPeopleAdminUi();
builder.AddPeopleAdminConsole();
builder.AddPeopleExports();
builder.AddImports();
builder.AddBulkActions();
builder.AddHttpApis();
builder.AddForms();
builder.AddSnippet();
builder.AddRules();
builder.AddLeadAds();
builder.AddSyncs();
builder.AddApiDocumentation();

var app = builder.Build();

await app.InitializePeopleAdminDataAsync();
await app.InitializePeopleAdminOperatorsAsync();
if (await app.RunCommandLineVerbAsync(args))
{
    return;
}

app.WarnWithoutPublicAddress();
app.UsePeopleAdminPipeline();
app.UseRateLimiter();
app.MapHealthApi();
app.MapTrackApi();
app.MapFormsApi();
app.MapSnippetApi();
app.MapRulesApi();
app.MapLeadAdsWebhook();
app.MapAppApi();
app.MapExportDownload();
app.MapManagementApi();
app.MapAuditExport();
app.MapImportReports();
app.MapApiNotFound();
app.MapApiDocumentation();
app.MapPeopleAdminUi();

await app.RunAsync();

/// <summary>The web app's entry point, named so that tests can host it.</summary>
public partial class Program;
