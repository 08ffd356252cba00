using PeopleAdmin.Web.Components;
using PeopleAdmin.Web.Components.Account;
using PeopleAdmin.Web.Features.Health;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

builder.AddPeopleAdminData();
builder.AddPeopleAdminOperators();
builder.AddPeopleAdminUi();

var app = builder.Build();

await app.InitializePeopleAdminDataAsync();
await app.InitializePeopleAdminOperatorsAsync();
if (await app.RunCommandLineVerbAsync(args))
{
    return;
}

app.UsePeopleAdminPipeline();
app.MapHealthApi();
app.MapPeopleAdminUi();

await app.RunAsync();

/// <summary>The web app's entry point, named so that tests can host it.</summary>
public partial class Program;
