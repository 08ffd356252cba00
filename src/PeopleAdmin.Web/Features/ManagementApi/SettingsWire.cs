using System.Text.Json;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.ManagementApi;

/// <summary>Workspace settings as the management API reads and writes them (snake_case, modes as strings).</summary>
internal sealed record SettingsBody(
    string Identifiers,
    bool AllowEmailUpdatesById,
    bool ReferencePeopleByCioId,
    bool MultiIdentifierMerge,
    bool AnonymousEventMerge,
    IReadOnlyList<string> BlockedIdentifierValues,
    int? RateLimitPerSecond,
    IReadOnlyList<string> AllowedOrigins)
{
    public const string EmailOrId = "email_or_id";
    public const string IdOnly = "id_only";

    public static SettingsBody From(WorkspaceSettings settings) => new(
        settings.Identifiers == IdentifierMode.IdOnly ? IdOnly : EmailOrId,
        settings.AllowEmailUpdatesById,
        settings.ReferencePeopleByCioId,
        settings.MultiIdentifierMerge,
        settings.AnonymousEventMerge,
        settings.BlockedIdentifierValues,
        settings.RateLimitPerSecond,
        settings.AllowedOrigins);
}

internal static class SettingsWire
{
    private static readonly string[] Keys =
    [
        "identifiers", "allow_email_updates_by_id", "reference_people_by_cio_id", "multi_identifier_merge",
        "anonymous_event_merge", "blocked_identifier_values", "rate_limit_per_second", "allowed_origins",
    ];

    /// <summary>Reads a (partial) settings object: only the keys present change; unknown keys and wrong types are refused.</summary>
    public static ApiProblem? ReadPatch(JsonElement element, string prefix, out SettingsPatch patch)
    {
        patch = new SettingsPatch();
        if (TrackInput.RequireObject(element, prefix.Length == 0 ? "body" : prefix.TrimEnd('.')) is { } notObject)
        {
            return notObject;
        }

        foreach (var property in element.EnumerateObject())
        {
            var field = prefix + property.Name;
            var value = property.Value;
            switch (property.Name)
            {
                case "identifiers":
                    var mode = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
                    if (mode is not (SettingsBody.EmailOrId or SettingsBody.IdOnly))
                    {
                        return ApiProblem.Invalid(field, $"{field} must be \"email_or_id\" or \"id_only\"; it was {value.GetRawText()}.");
                    }

                    patch = patch with { Identifiers = mode == SettingsBody.IdOnly ? IdentifierMode.IdOnly : IdentifierMode.EmailOrId };
                    break;
                case "allow_email_updates_by_id":
                    if (Bool(value, field, out var allow) is { } allowProblem)
                    {
                        return allowProblem;
                    }

                    patch = patch with { AllowEmailUpdatesById = allow };
                    break;
                case "reference_people_by_cio_id":
                    if (Bool(value, field, out var byCio) is { } byCioProblem)
                    {
                        return byCioProblem;
                    }

                    patch = patch with { ReferencePeopleByCioId = byCio };
                    break;
                case "multi_identifier_merge":
                    if (Bool(value, field, out var merge) is { } mergeProblem)
                    {
                        return mergeProblem;
                    }

                    patch = patch with { MultiIdentifierMerge = merge };
                    break;
                case "anonymous_event_merge":
                    if (Bool(value, field, out var anonymous) is { } anonymousProblem)
                    {
                        return anonymousProblem;
                    }

                    patch = patch with { AnonymousEventMerge = anonymous };
                    break;
                case "blocked_identifier_values":
                    if (Strings(value, field, out var blocked) is { } blockedProblem)
                    {
                        return blockedProblem;
                    }

                    patch = patch with { BlockedIdentifierValues = blocked };
                    break;
                case "allowed_origins":
                    if (Strings(value, field, out var origins) is { } originsProblem)
                    {
                        return originsProblem;
                    }

                    patch = patch with { AllowedOrigins = origins };
                    break;
                case "rate_limit_per_second":
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        patch = patch with { ChangesRateLimit = true, RateLimitPerSecond = null };
                    }
                    else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var limit) && limit > 0)
                    {
                        patch = patch with { ChangesRateLimit = true, RateLimitPerSecond = limit };
                    }
                    else
                    {
                        return ApiProblem.Invalid(field, $"{field} must be a positive whole number, or null for the configured default; it was {value.GetRawText()}.");
                    }

                    break;
                default:
                    return ApiProblem.Invalid(field, $"{property.Name} is not a setting; the settings are {string.Join(", ", Keys)}.");
            }
        }

        return null;
    }

    /// <summary>The settings of a new workspace: the defaults with the patch applied.</summary>
    public static WorkspaceSettings Apply(SettingsPatch patch)
    {
        var settings = new WorkspaceSettings();
        settings.Identifiers = patch.Identifiers ?? settings.Identifiers;
        settings.AllowEmailUpdatesById = patch.AllowEmailUpdatesById ?? settings.AllowEmailUpdatesById;
        settings.ReferencePeopleByCioId = patch.ReferencePeopleByCioId ?? settings.ReferencePeopleByCioId;
        settings.MultiIdentifierMerge = patch.MultiIdentifierMerge ?? settings.MultiIdentifierMerge;
        settings.AnonymousEventMerge = patch.AnonymousEventMerge ?? settings.AnonymousEventMerge;
        if (patch.BlockedIdentifierValues is { } blocked)
        {
            settings.BlockedIdentifierValues = [.. blocked];
        }

        if (patch.ChangesRateLimit)
        {
            settings.RateLimitPerSecond = patch.RateLimitPerSecond;
        }

        if (patch.AllowedOrigins is { } origins)
        {
            settings.AllowedOrigins = [.. origins];
        }

        return settings;
    }

    private static ApiProblem? Strings(JsonElement value, string field, out List<string> strings)
    {
        strings = [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            return ApiProblem.Invalid(field, $"{field} must be an array of strings; it was {TrackInput.Kind(value)}.");
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return ApiProblem.Invalid($"{field}[{index}]", $"{field}[{index}] must be a string; it was {TrackInput.Kind(item)}.");
            }

            strings.Add(item.GetString()!);
            index++;
        }

        return null;
    }

    private static ApiProblem? Bool(JsonElement value, string field, out bool result)
    {
        result = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? null
            : ApiProblem.Invalid(field, $"{field} must be true or false; it was {value.GetRawText()}.");
    }
}
