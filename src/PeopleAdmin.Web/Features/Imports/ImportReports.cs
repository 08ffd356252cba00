using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Web.Features.Operators;

namespace PeopleAdmin.Web.Features.Imports;

/// <summary>
/// <c>GET /imports/{id}/errors.csv</c> and <c>…/warnings.csv</c>: an import's report for the console's download
/// buttons, with the operator's sign-in (any role, as the import's page). The management API serves the same files to tokens.
/// </summary>
internal static class ImportReports
{
    public static string Href(long importId, ImportProblemKind kind) =>
        FormattableString.Invariant($"/imports/{importId}/{(kind == ImportProblemKind.Error ? "errors" : "warnings")}.csv");

    public static IEndpointRouteBuilder MapImportReports(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/imports/{importId:long}/errors.csv", (long importId, IDbContextFactory<PeopleAdminDbContext> factory, ImportService imports, HttpContext http) =>
            ReportAsync(importId, ImportProblemKind.Error, factory, imports, http)).RequireAuthorization(Policies.CanViewPeople).ExcludeFromDescription();
        endpoints.MapGet("/imports/{importId:long}/warnings.csv", (long importId, IDbContextFactory<PeopleAdminDbContext> factory, ImportService imports, HttpContext http) =>
            ReportAsync(importId, ImportProblemKind.Warning, factory, imports, http)).RequireAuthorization(Policies.CanViewPeople).ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<Results<PushStreamHttpResult, NotFound<string>>> ReportAsync(
        long importId, ImportProblemKind kind, IDbContextFactory<PeopleAdminDbContext> factory, ImportService imports, HttpContext http)
    {
        // Every operator may open every workspace, so the import's id alone names what they may read.
        await using (var db = await factory.CreateDbContextAsync(http.RequestAborted))
        {
            if (!await db.Imports.AnyAsync(i => i.Id == importId, http.RequestAborted))
            {
                return TypedResults.NotFound($"There is no import {importId}.");
            }
        }

        return TypedResults.Stream(
            async stream =>
            {
                await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\r\n" };
                await imports.WriteProblemsAsync(importId, kind, writer, http.RequestAborted);
            },
            "text/csv; charset=utf-8",
            FormattableString.Invariant($"import-{importId}-{(kind == ImportProblemKind.Error ? "errors" : "warnings")}.csv"));
    }
}
