using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.AppApi;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.Imports;

/// <summary>
/// The management API's imports (<c>/api/admin/v1/workspaces/{id}/imports</c>): upload a file with its options, follow
/// it, start what a dry run validated, cancel, and read its errors and warnings. Any role reads; Editors and up import.
/// </summary>
internal static class ImportsApi
{
    /// <summary>The options part is JSON of a few keys and a mapping: 256 KiB holds a mapping of thousands of columns.</summary>
    private const int MaxOptionsBytes = 256 * 1024;

    /// <summary>The upload's parts, for the OpenAPI document: <c>options</c> (the contract's options JSON) and <c>file</c> (the CSV file).</summary>
    public sealed record ImportUploadForm(string Options, IFormFile File);

    public sealed record ImportAcceptedBody(long ImportId, string State);

    public sealed record ImportBody(
        long ImportId, string State, long? RowsToImport, long RowsImported, long RowsCreated, long RowsUpdated, long RowsSkipped,
        long RowsFailed, long Warnings, long? StartedAt, long? FinishedAt, double RowsPerSecond, string FileName, bool DryRun, string? Error, long CreatedAt)
    {
        public static ImportBody From(Import import) => new(
            import.Id, ImportService.StateName(import.State), import.RowsToImport, import.RowsCreated + import.RowsUpdated, import.RowsCreated,
            import.RowsUpdated, import.RowsSkipped, import.RowsFailed, import.Warnings, import.StartedMs / 1000, import.FinishedMs / 1000,
            Math.Round(ImportService.RowsPerSecond(import)), import.FileName, import.OptionsJson.Contains("\"dry_run\":true", StringComparison.Ordinal),
            import.Error, import.CreatedMs / 1000);
    }

    public sealed record ImportedPersonBody(string CioId, string? Id, string? Email, string Outcome, long Row, bool Exists, string? MergedInto);

    /// <summary>A page of the people an import created or updated; <c>next</c> is the <c>start</c> of the next page, absent on the last.</summary>
    public sealed record ImportedPeopleBody(
        IReadOnlyList<ImportedPersonBody> People, int Total, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Next);

    /// <summary>People a page of <c>…/imports/{import_id}/people</c> gives when <c>limit</c> is not set, and the most it gives.</summary>
    public const int DefaultPeopleLimit = 50, MaxPeopleLimit = 1000;

    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder admin)
    {
        const string import = "/workspaces/{id:int}/imports/{importId:long}";
        admin.MapPost("/workspaces/{id:int}/imports", CreateAsync).WithName("AdminCreateImport").DisableAntiforgery()
            .Accepts<ImportUploadForm>(isOptional: true, "multipart/form-data", ApiGuardExtensions.AnyType).RequireAuthorization(Operators.Policies.ManagementEditPeople);
        admin.MapGet(import, GetAsync).WithName("AdminGetImport");
        admin.MapPost(import + "/start", StartAsync).WithName("AdminStartImport").RequireAuthorization(Operators.Policies.ManagementEditPeople);
        admin.MapPost(import + "/cancel", CancelAsync).WithName("AdminCancelImport").RequireAuthorization(Operators.Policies.ManagementEditPeople);
        admin.MapGet(import + "/errors.csv", (HttpContext http, int id, long importId, ImportService imports, CancellationToken ct) =>
            ProblemsAsync(http, id, importId, ImportProblemKind.Error, imports, ct)).WithName("AdminImportErrors");
        admin.MapGet(import + "/warnings.csv", (HttpContext http, int id, long importId, ImportService imports, CancellationToken ct) =>
            ProblemsAsync(http, id, importId, ImportProblemKind.Warning, imports, ct)).WithName("AdminImportWarnings");
        admin.MapGet(import + "/people", PeopleAsync).WithName("AdminImportPeople");
        return admin;
    }

    /// <summary>
    /// Reads the multipart body part by part: <c>options</c> as JSON, <c>file</c> streamed to the data folder (never held
    /// in memory), in either order. Anything wrong answers 400 (or 413, 415) naming the part, and nothing is kept.
    /// </summary>
    internal static async Task<Results<Accepted<ImportAcceptedBody>, JsonHttpResult<AppErrorBody>>> CreateAsync(
        HttpContext http, int id, WorkspaceDirectory directory, ImportService imports, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is null)
        {
            return ManagementApi.ManagementApi.NoWorkspace(id);
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "body", "send multipart/form-data with a part \"options\" (the import's options as JSON) and a part \"file\" (the CSV file)"));
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = imports.Settings.MaxFileBytes + MaxOptionsBytes + (64 * 1024);
        }

        string? optionsJson = null;
        ReceivedFile? file = null;
        var fileName = "";
        var tooLarge = false;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (name == "options" && optionsJson is null)
                {
                    optionsJson = await ReadTextAsync(section.Body, ct);
                    if (optionsJson is null)
                    {
                        return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status413PayloadTooLarge, "options", $"the options part is over {MaxOptionsBytes:N0} bytes"));
                    }
                }
                else if (name == "file" && file is null && !tooLarge)
                {
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileName.HasValue ? disposition.FileName : disposition.Name).Value ?? "file";
                    file = await imports.ReceiveAsync(section.Body, ct);
                    tooLarge = file is null;
                }
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            Delete(file);
            return exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status413PayloadTooLarge, "file", $"the body is over the limit of {imports.Settings.MaxFileBytes:N0} bytes for the file (PeopleAdmin__Imports__MaxFileBytes)"))
                : AppApi.AppApi.Error(ApiProblem.Invalid("body", $"the multipart body cannot be read: {exception.Message}"));
        }

        if (optionsJson is null || (file is null && !tooLarge))
        {
            Delete(file);
            var missing = optionsJson is null ? "options" : "file";
            return AppApi.AppApi.Error(ApiProblem.Invalid(missing, $"the body has no part \"{missing}\"; send \"options\" (the import's options as JSON) and \"file\" (the CSV file)"));
        }

        if (ImportOptionsJson.TryRead(optionsJson, "options.", out var options) is { } invalid)
        {
            Delete(file);
            return AppApi.AppApi.Error(ApiProblem.Invalid(invalid.Field, $"{invalid.Field} {invalid.Message}"));
        }

        var created = await imports.CreateAsync(id, file, new ImportRequest(fileName, options, ManagementApi.ManagementApi.ActorOf(http)), ct);
        if (created.Problem is { } problem)
        {
            return AppApi.AppApi.Error(new ApiProblem(created.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, problem.Field, $"{problem.Field}: {problem.Message}"));
        }

        return TypedResults.Accepted($"/api/admin/v1/workspaces/{id}/imports/{created.Import!.Id}", new ImportAcceptedBody(created.Import.Id, ImportService.StateName(created.Import.State)));
    }

    internal static async Task<Results<Ok<ImportBody>, JsonHttpResult<AppErrorBody>>> GetAsync(int id, long importId, ImportService imports, CancellationToken ct) =>
        await imports.GetAsync(id, importId, ct) is { } import ? TypedResults.Ok(ImportBody.From(import)) : NoImport(id, importId);

    internal static async Task<Results<Ok<ImportBody>, JsonHttpResult<AppErrorBody>>> StartAsync(int id, long importId, ImportService imports, CancellationToken ct)
    {
        if (await imports.GetAsync(id, importId, ct) is null)
        {
            return NoImport(id, importId);
        }

        if (await imports.StartAsync(id, importId, ct) is { } refused)
        {
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status409Conflict, "state", refused));
        }

        return TypedResults.Ok(ImportBody.From((await imports.GetAsync(id, importId, ct))!));
    }

    internal static async Task<Results<Ok<ImportBody>, JsonHttpResult<AppErrorBody>>> CancelAsync(int id, long importId, ImportService imports, CancellationToken ct)
    {
        if (await imports.GetAsync(id, importId, ct) is not { } import)
        {
            return NoImport(id, importId);
        }

        if (!await imports.CancelAsync(id, importId, ct))
        {
            return AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status409Conflict, "state", $"import {importId} has ended ({ImportService.StateName(import.State)}); there is nothing to cancel"));
        }

        return TypedResults.Ok(ImportBody.From((await imports.GetAsync(id, importId, ct))!));
    }

    internal static async Task<Results<Ok<ImportedPeopleBody>, JsonHttpResult<AppErrorBody>>> PeopleAsync(
        int id, long importId, string? start, string? limit, string? outcome, ImportService imports,
        Microsoft.EntityFrameworkCore.IDbContextFactory<Core.Data.PeopleAdminDbContext> factory, CancellationToken ct)
    {
        var skip = 0;
        var take = DefaultPeopleLimit;
        ImportPersonOutcome? only = null;
        if (start is not null && (!int.TryParse(start, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out skip)))
        {
            return AppApi.AppApi.Error(ApiProblem.Invalid("start", $"start must be the 'next' value of a previous page; it was '{start}'."));
        }

        if (limit is not null
            && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxPeopleLimit))
        {
            return AppApi.AppApi.Error(ApiProblem.Invalid("limit", $"limit must be a whole number from 1 to {MaxPeopleLimit}; it was '{limit}'."));
        }

        if (outcome is not null)
        {
            only = outcome switch
            {
                "created" => ImportPersonOutcome.Created,
                "updated" => ImportPersonOutcome.Updated,
                _ => null,
            };
            if (only is null)
            {
                return AppApi.AppApi.Error(ApiProblem.Invalid("outcome", $"outcome must be created or updated; it was '{outcome}'."));
            }
        }

        if (await imports.GetAsync(id, importId, ct) is null)
        {
            return NoImport(id, importId);
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var page = await ImportedPeople.PageAsync(db, id, importId, only, skip, take, ct);
        var people = page.People.Select(p => new ImportedPersonBody(
            p.CioId, p.Id, p.Email, p.Outcome == ImportPersonOutcome.Created ? "created" : "updated", p.Row, p.Exists, p.MergedInto)).ToList();
        var next = (long)skip + people.Count < page.Total && people.Count > 0 ? (skip + people.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ImportedPeopleBody(people, page.Total, next));
    }

    private static async Task<Results<EmptyHttpResult, JsonHttpResult<AppErrorBody>>> ProblemsAsync(
        HttpContext http, int id, long importId, ImportProblemKind kind, ImportService imports, CancellationToken ct)
    {
        if (await imports.GetAsync(id, importId, ct) is null)
        {
            return NoImport(id, importId);
        }

        await WriteCsvAsync(http, $"import-{importId}-{(kind == ImportProblemKind.Error ? "errors" : "warnings")}.csv", writer => imports.WriteProblemsAsync(importId, kind, writer, ct));
        return TypedResults.Empty;
    }

    /// <summary>Streams a report to the response as a CSV download (UTF-8, CRLF), never held whole.</summary>
    internal static async Task WriteCsvAsync(HttpContext http, string fileName, Func<TextWriter, Task> write)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 1 << 16);
        writer.NewLine = "\r\n";
        await write(writer);
    }

    private static JsonHttpResult<AppErrorBody> NoImport(int id, long importId) =>
        AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "import_id", $"workspace {id} has no import {importId}"));

    /// <summary>A part's text (UTF-8), or null past <see cref="MaxOptionsBytes"/>.</summary>
    private static async Task<string?> ReadTextAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxOptionsBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void Delete(ReceivedFile? file)
    {
        if (file is not null)
        {
            File.Delete(file.Path);
        }
    }
}
