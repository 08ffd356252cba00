using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Exports;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.Exports;

namespace PeopleAdmin.Web.Features.AppApi;

/// <summary>
/// The App API's audience endpoints: <c>POST /v1/customers</c> searches with an audience filter, and
/// <c>/v1/exports</c> exports the people a filter finds to CSV, in the background.
/// </summary>
internal static class AudienceEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1_000;

    public sealed record SearchIdentifiers(string? Email, string? Id, string CioId);

    public sealed record SearchBody(IReadOnlyList<SearchIdentifiers> Identifiers, IReadOnlyList<string?> Ids, string Next);

    public sealed record SearchRequest(JsonElement Filter);

    public sealed record ExportCustomersRequest(JsonElement Filters, IReadOnlyList<string>? Attributes);

    public sealed record ExportObject(long Id, string Status, long Total, string Type, bool Failed, long CreatedAt, long UpdatedAt);

    public sealed record ExportBody(ExportObject Export);

    public sealed record DownloadBody(string Url);

    public static RouteGroupBuilder MapAudienceEndpoints(this RouteGroupBuilder v1)
    {
        v1.MapPost("/customers", SearchAsync).WithName("AppSearchCustomers").AcceptsJson<SearchRequest>();
        v1.MapPost("/exports/customers", CreateExportAsync).WithName("AppExportCustomers").AcceptsJson<ExportCustomersRequest>();
        v1.MapGet("/exports/{export_id}", GetExportAsync).WithName("AppGetExport");
        v1.MapGet("/exports/{export_id}/download", DownloadExportAsync).WithName("AppDownloadExport");
        return v1;
    }

    internal static async Task<Results<Ok<SearchBody>, JsonHttpResult<AppErrorBody>>> SearchAsync(
        HttpContext http, ApiWorkspace workspace, PeopleService people, string? start, string? limit, CancellationToken cancellationToken)
    {
        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > MaxLimit))
        {
            return AppApi.Error(ApiProblem.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}; it was '{limit}'."));
        }

        long? after = null;
        if (!string.IsNullOrEmpty(start))
        {
            if (!long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            {
                return AppApi.Error(ApiProblem.Invalid("start", "start must be the 'next' value of a previous page."));
            }

            after = key;
        }

        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        AudienceFilter? filter;
        using (document)
        {
            (filter, problem) = problem is null ? FilterOf(document!.RootElement, "filter") : (null, problem);
        }

        if (problem is not null)
        {
            return AppApi.Error(problem);
        }

        var page = await people.FilterPeopleAsync(workspace.Id, filter!, after, size, cancellationToken);
        return TypedResults.Ok(new SearchBody(
            [.. page.People.Select(p => new SearchIdentifiers(p.Email, p.Id, p.CioId))],
            [.. page.People.Select(p => p.Id)],
            // Customer.io's last page answers an empty next, which its clients test for.
            page.After?.ToString(CultureInfo.InvariantCulture) ?? ""));
    }

    internal static async Task<Results<Ok<ExportBody>, JsonHttpResult<AppErrorBody>>> CreateExportAsync(
        HttpContext http, ApiWorkspace workspace, ExportService exports, AuditTrail audit, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.Error(problem);
            }

            var root = document!.RootElement;
            var (filter, invalid) = FilterOf(root, "filters");
            if (invalid is not null)
            {
                return AppApi.Error(invalid);
            }

            var attributes = new List<string>();
            if (root.TryGetProperty("attributes", out var names) && names.ValueKind != JsonValueKind.Null)
            {
                if (names.ValueKind != JsonValueKind.Array || names.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(n.GetString())))
                {
                    return AppApi.Error(ApiProblem.Invalid("attributes", "attributes must be an array of attribute names (non-empty strings)."));
                }

                attributes.AddRange(names.EnumerateArray().Select(n => n.GetString()!).Distinct(StringComparer.Ordinal));
                if (attributes.Count > ExportService.MaxAttributes)
                {
                    return AppApi.Error(ApiProblem.Invalid("attributes", $"an export has at most {ExportService.MaxAttributes} attribute columns; {attributes.Count} were asked for."));
                }
            }

            var export = await exports.CreateAsync(workspace.Id, new ExportRequest(filter!, attributes, false, "app_api"), cancellationToken);
            if (export is null)
            {
                return AppApi.Error(new ApiProblem(StatusCodes.Status429TooManyRequests, "exports", $"{ExportService.QueueCapacity} exports are already waiting; try again when some are done."));
            }

            await audit.RecordAsync(AuditActions.PeopleExported, "app_api", Describe(workspace.Id, export), http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
            return TypedResults.Ok(new ExportBody(ToObject(export)));
        }
    }

    internal static async Task<Results<Ok<ExportBody>, JsonHttpResult<AppErrorBody>>> GetExportAsync(
        ApiWorkspace workspace, ExportService exports, string export_id, CancellationToken cancellationToken)
    {
        var export = await FindAsync(workspace, exports, export_id, cancellationToken);
        return export.Problem is { } problem ? AppApi.Error(problem) : TypedResults.Ok(new ExportBody(ToObject(export.Export!)));
    }

    internal static async Task<Results<Ok<DownloadBody>, JsonHttpResult<AppErrorBody>>> DownloadExportAsync(
        ApiWorkspace workspace, ExportService exports, ExportLinks links, string export_id, CancellationToken cancellationToken)
    {
        var (export, problem) = await FindAsync(workspace, exports, export_id, cancellationToken);
        if (problem is not null)
        {
            return AppApi.Error(problem);
        }

        if (export!.Status != ExportStatus.Done)
        {
            return AppApi.Error(new ApiProblem(StatusCodes.Status409Conflict, "export_id", $"Export {export.Id} is {StatusName(export.Status)}; only a done export can be downloaded."));
        }

        return TypedResults.Ok(new DownloadBody(links.Link(export.WorkspaceId, export.Id)));
    }

    public static string StatusName(ExportStatus status) => status.ToString().ToLowerInvariant();

    public static string Describe(int workspaceId, Export export) =>
        FormattableString.Invariant($"export {export.Id} of workspace {workspaceId}: filter {export.FilterJson}, attributes {export.AttributesJson}");

    private static async Task<(Export? Export, ApiProblem? Problem)> FindAsync(ApiWorkspace workspace, ExportService exports, string exportId, CancellationToken cancellationToken)
    {
        if (!long.TryParse(exportId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return (null, ApiProblem.Invalid("export_id", $"export_id must be a whole number; it was '{exportId}'."));
        }

        var export = await exports.GetAsync(workspace.Id, id, cancellationToken);
        return export is null
            ? (null, new ApiProblem(StatusCodes.Status404NotFound, "export_id", $"This workspace has no export {id}."))
            : (export, null);
    }

    private static ExportObject ToObject(Export export) => new(
        export.Id,
        StatusName(export.Status),
        export.Status == ExportStatus.Done ? export.Total ?? 0 : 0,
        "customers",
        export.Status == ExportStatus.Failed,
        export.CreatedMs / 1000,
        export.UpdatedMs / 1000);

    /// <summary>The audience filter in the body's <paramref name="property"/>, or what is wrong with it.</summary>
    private static (AudienceFilter? Filter, ApiProblem? Problem) FilterOf(JsonElement root, string property)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(property, out var filterJson))
        {
            return (null, ApiProblem.Invalid(property, $"{property} is required: {{\"{property}\": <audience filter>}}."));
        }

        return AudienceFilterJson.TryParse(filterJson, out var filter, out var error, property)
            ? (filter, null)
            : (null, ApiProblem.Invalid(error!.Field, $"{error.Field} {error.Message}."));
    }
}
