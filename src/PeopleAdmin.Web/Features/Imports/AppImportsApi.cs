using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.Imports;

/// <summary>
/// Customer.io's App API imports (<c>POST /v1/imports</c>, <c>GET /v1/imports/{import_id}</c>): a file the server
/// fetches from <c>data_file_url</c>, from the hosts <c>PeopleAdmin__Imports__AllowedUrlHosts</c> names only, run by
/// the same engine as an upload.
/// </summary>
internal static class AppImportsApi
{
    public sealed record ImportInput(string? Name, string DataFileUrl, string Type, string Identifier, string? DataToProcess, string? Description);

    public sealed record CreateImportRequest(ImportInput Import);

    public sealed record ImportObject(
        long Id, string? Name, string State, long RowsToImport, long RowsImported, string Type, string Identifier, string DataToProcess, string? Error, long CreatedAt, long UpdatedAt);

    public sealed record ImportObjectBody(ImportObject Import);

    public static RouteGroupBuilder MapAppImports(this RouteGroupBuilder v1)
    {
        v1.MapPost("/imports", CreateAsync).WithName("AppCreateImport").AcceptsJson<CreateImportRequest>();
        v1.MapGet("/imports/{importId:long}", GetAsync).WithName("AppGetImport");
        return v1;
    }

    internal static async Task<Results<Ok<ImportObjectBody>, JsonHttpResult<AppErrorBody>>> CreateAsync(HttpContext http, ApiWorkspace workspace, ImportService imports, CancellationToken ct)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, ct);
        using (document)
        {
            if (problem is not null)
            {
                return AppApi.AppApi.Error(problem);
            }

            if (document!.RootElement is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("import", out var body) || body.ValueKind != JsonValueKind.Object)
            {
                return AppApi.AppApi.Error(ApiProblem.Invalid("import", "the body must be {\"import\": {\"name\", \"data_file_url\", \"type\", \"identifier\", ...}}"));
            }

            if (!body.TryGetProperty("data_file_url", out var url) || url.ValueKind != JsonValueKind.String || url.GetString()!.Length == 0)
            {
                return AppApi.AppApi.Error(ApiProblem.Invalid("import.data_file_url", "import.data_file_url is required: the URL of the CSV file"));
            }

            var options = new JsonObject();
            foreach (var key in new[] { "type", "identifier", "data_to_process", "object_type_id" })
            {
                if (body.TryGetProperty(key, out var value))
                {
                    options[key] = JsonNode.Parse(value.GetRawText());
                }
            }

            if (ImportOptionsJson.TryRead(options.ToJsonString(), "import.", out var read) is { } invalid)
            {
                return AppApi.AppApi.Error(ApiProblem.Invalid(invalid.Field, $"{invalid.Field} {invalid.Message}"));
            }

            var name = Text(body, "name");
            var request = new ImportRequest(url.GetString()!, read, "app_api", name ?? Path.GetFileName(url.GetString()), Text(body, "description"));
            var created = await imports.CreateFromUrlAsync(workspace.Id, url.GetString()!, request, ct);
            return created.Problem is { } refused
                ? AppApi.AppApi.Error(ApiProblem.Invalid("import." + refused.Field, refused.Message))
                : TypedResults.Ok(new ImportObjectBody(ToObject(created.Import!)));
        }
    }

    internal static async Task<Results<Ok<ImportObjectBody>, JsonHttpResult<AppErrorBody>>> GetAsync(ApiWorkspace workspace, long importId, ImportService imports, CancellationToken ct) =>
        await imports.GetAsync(workspace.Id, importId, ct) is { } import
            ? TypedResults.Ok(new ImportObjectBody(ToObject(import)))
            : AppApi.AppApi.Error(new ApiProblem(StatusCodes.Status404NotFound, "import_id", $"There is no import {importId}."));

    private static ImportObject ToObject(Import import)
    {
        ImportOptionsJson.TryRead(import.OptionsJson, "options.", out var options);
        return new ImportObject(
            import.Id, import.Name, ImportService.StateName(import.State), import.RowsToImport ?? 0, import.RowsCreated + import.RowsUpdated,
            ImportOptionsJson.TypeName(options.Type), options.Identifier == Core.People.IdentifierKind.Email ? "email" : "id",
            options.DataToProcess switch { DataToProcess.OnlyNew => "only_new", DataToProcess.OnlyExisting => "only_existing", _ => "all" },
            import.Error, import.CreatedMs / 1000, import.UpdatedMs / 1000);
    }

    private static string? Text(JsonElement body, string key) =>
        body.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
