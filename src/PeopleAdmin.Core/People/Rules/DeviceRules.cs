using System.Text.Json.Nodes;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People.Rules;

/// <summary>Devices: added or updated by token (a token another person had moves to this one), removed.</summary>
internal static class DeviceRules
{
    public static async Task<OperationResult> ApplyAsync(UpsertDeviceOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        var (person, outcome) = await EventRules.PersonFor(session, workspace, operation.Reference, ct);
        if (person is null)
        {
            return outcome;
        }

        var input = operation.Device;
        var device = await session.Store.FindDeviceAsync(workspace.Id, input.Token, ct);
        var action = "updated";
        if (device is null)
        {
            device = new Device { WorkspaceId = workspace.Id, PersonId = person.Id, Token = input.Token, Platform = input.Platform };
            session.Store.AddDevice(device);
            action = "added";
        }
        else if (device.PersonId != person.Id)
        {
            action = "moved";
            device.PersonId = person.Id;
        }

        device.Platform = input.Platform;
        device.LastUsed = input.LastUsed ?? device.LastUsed;
        device.Attributes = input.Attributes is { Count: > 0 } attributes ? Json(attributes) : device.Attributes;
        device.UpdatedMs = session.NowMs;
        session.Log(ActivityTypes.DeviceChange, person, new JsonObject { ["token"] = input.Token, ["platform"] = input.Platform, ["action"] = action }.ToJsonString());
        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId, Created = outcome.Created };
    }

    public static async Task<OperationResult> ApplyAsync(RemoveDeviceOperation operation, WriteSession session, CancellationToken ct)
    {
        var start = await RuleStart.OpenAsync(operation, session, ct);
        if (start.Stop is { } stop)
        {
            return stop;
        }

        var workspace = start.Workspace!;

        var person = await session.Store.FindAsync(workspace.Id, workspace.Settings.Identifiers, operation.Reference, ct);
        if (person is null)
        {
            return IdentifyRules.Ignore(session, null, LifecycleRules.IgnoredNoPerson, new JsonObject { ["identifier"] = operation.Reference.ToString() });
        }

        var device = await session.Store.FindDeviceAsync(workspace.Id, operation.Token, ct);
        if (device is null || device.PersonId != person.Id)
        {
            return IdentifyRules.Ignore(session, person, "the person has no device with this token", new JsonObject { ["token"] = operation.Token });
        }

        session.Store.RemoveDevice(device);
        session.Log(ActivityTypes.DeviceChange, person, new JsonObject { ["token"] = operation.Token, ["action"] = "removed" }.ToJsonString());
        return new OperationResult(OperationStatus.Applied) { CioId = person.CioId };
    }

    private static string Json(IReadOnlyDictionary<string, AttributeValue> attributes)
    {
        var json = new JsonObject();
        foreach (var (name, value) in attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            json[name] = value.Type switch
            {
                AttributeType.Number => JsonValue.Create(value.Number),
                AttributeType.Boolean => JsonValue.Create(value.Text == "true"),
                AttributeType.String => JsonValue.Create(value.Text),
                AttributeType.Json => JsonNode.Parse(value.Text!),
                _ => null,
            };
        }

        return json.ToJsonString();
    }
}
