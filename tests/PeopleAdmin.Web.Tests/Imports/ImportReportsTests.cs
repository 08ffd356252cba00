using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Imports;

/// <summary><c>/imports/{id}/errors.csv</c> and <c>warnings.csv</c>: the import page's downloads, behind the operator's sign-in.</summary>
public sealed class ImportReportsTests
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An ended import with one error and one warning, recorded as the engine records them.</summary>
    private static async Task<long> EndedImportAsync(PeopleAdminFactory factory)
    {
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        var workspaceId = await db.Workspaces.Select(w => w.Id).FirstAsync(Ct);
        var import = new Import { WorkspaceId = workspaceId, State = ImportState.Imported, FileName = "leads.csv", OptionsJson = "{\"identifier\":\"email\"}", RequestedBy = "owner@example.test" };
        db.Imports.Add(import);
        await db.SaveChangesAsync(Ct);
        db.ImportProblems.AddRange(
            new ImportProblem { ImportId = import.Id, WorkspaceId = workspaceId, Kind = ImportProblemKind.Error, Row = 5, Column = "email", Value = "=not-an-email", Reason = "is not an email address" },
            new ImportProblem { ImportId = import.Id, WorkspaceId = workspaceId, Kind = ImportProblemKind.Warning, Row = 3, Column = "plan", Value = "", Reason = "empty, left as it was" });
        await db.SaveChangesAsync(Ct);
        return import.Id;
    }

    [Fact]
    public async Task ASignedInOperatorDownloadsEachReportAsCsv()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        var id = await EndedImportAsync(factory);
        using var client = factory.CreateClient(NoRedirects);
        await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, StaticForms.OwnerPassword);

        using var errors = await client.GetAsync(new Uri($"/imports/{id}/errors.csv", UriKind.Relative), Ct);
        using var warnings = await client.GetAsync(new Uri($"/imports/{id}/warnings.csv", UriKind.Relative), Ct);

        errors.StatusCode.ShouldBe(HttpStatusCode.OK);
        errors.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        errors.Content.Headers.ContentDisposition!.FileName.ShouldBe($"import-{id}-errors.csv");
        (await errors.Content.ReadAsStringAsync(Ct)).ShouldBe("row,column,value,reason\r\n5,email,'=not-an-email,is not an email address\r\n");
        (await warnings.Content.ReadAsStringAsync(Ct)).ShouldBe("row,column,value,reason\r\n3,plan,,\"empty, left as it was\"\r\n");
    }

    [Fact]
    public async Task ASignedOutVisitorIsSentToSignInAndAnUnknownImportIsNotFound()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        var id = await EndedImportAsync(factory);
        using var anonymous = factory.CreateClient(NoRedirects);
        using var client = factory.CreateClient(NoRedirects);
        await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, StaticForms.OwnerPassword);

        using var signedOut = await anonymous.GetAsync(new Uri($"/imports/{id}/errors.csv", UriKind.Relative), Ct);
        using var unknown = await client.GetAsync(new Uri($"/imports/{id + 1}/errors.csv", UriKind.Relative), Ct);

        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedOut.Headers.Location!.AbsolutePath.ShouldBe("/Account/Login");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
