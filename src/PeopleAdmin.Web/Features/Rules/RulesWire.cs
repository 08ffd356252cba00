using System.Text.Json;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Features.Rules;

/// <summary>
/// A rule on the wire (api-contract.md, the rules rows): <c>{name, trigger: {"event", "sources"?} | {"webhook": true},
/// target: {"person": "event"} | {"identifier", "value"}, attributes: {name: template}}</c>.
/// </summary>
internal static class RulesWire
{
    public sealed record TriggerBody(string? Event, IReadOnlyList<string>? Sources, bool? Webhook);

    public sealed record TargetBody(string? Person, string? Identifier, string? Value);

    public sealed record RuleRequest(string Name, TriggerBody Trigger, TargetBody Target, Dictionary<string, string> Attributes);

    public sealed record CreatedRuleBody(long RuleId, string? WebhookUrl);

    /// <summary>Reads a rule's definition; the problem names the field that is wrong and why.</summary>
    public static ApiProblem? Read(JsonElement body, out RuleDefinition? rule)
    {
        rule = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return ApiProblem.Invalid("body", "The body must be a JSON object describing the rule.");
        }

        var name = Text(body, "name");
        if (!body.TryGetProperty("trigger", out var trigger) || trigger.ValueKind != JsonValueKind.Object)
        {
            return ApiProblem.Invalid("trigger", "trigger is required: {\"event\": \"<name>\", \"sources\"?: [...]} or {\"webhook\": true}.");
        }

        var webhook = trigger.TryGetProperty("webhook", out var hook) && hook.ValueKind == JsonValueKind.True;
        var eventName = Text(trigger, "event");
        if (webhook == (eventName is not null))
        {
            return ApiProblem.Invalid("trigger", "trigger names either an event (\"event\": \"<name>\") or a webhook (\"webhook\": true), exactly one.");
        }

        List<string>? sources = null;
        if (trigger.TryGetProperty("sources", out var sourcesElement) && sourcesElement.ValueKind != JsonValueKind.Null)
        {
            if (sourcesElement.ValueKind != JsonValueKind.Array || sourcesElement.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
            {
                return ApiProblem.Invalid("trigger.sources", $"trigger.sources must be an array of strings among {string.Join(", ", RuleDefinition.AllSources)}.");
            }

            sources = [.. sourcesElement.EnumerateArray().Select(s => s.GetString()!)];
        }

        if (!body.TryGetProperty("target", out var target) || target.ValueKind != JsonValueKind.Object)
        {
            return ApiProblem.Invalid("target", "target is required: {\"person\": \"event\"} or {\"identifier\": \"id\"|\"email\", \"value\": \"<Liquid template>\"}.");
        }

        var person = Text(target, "person");
        if (person is not null && person != "event")
        {
            return ApiProblem.Invalid("target.person", "target.person can only be \"event\": the person the event is about.");
        }

        var identifier = Text(target, "identifier");
        if ((person is null) == (identifier is null))
        {
            return ApiProblem.Invalid("target", "target is either {\"person\": \"event\"} or {\"identifier\": \"id\"|\"email\", \"value\": \"<Liquid template>\"}, exactly one.");
        }

        if (!body.TryGetProperty("attributes", out var attributesElement) || attributesElement.ValueKind != JsonValueKind.Object)
        {
            return ApiProblem.Invalid("attributes", "attributes is required: an object of attribute names to Liquid templates.");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributesElement.EnumerateObject())
        {
            if (attribute.Value.ValueKind != JsonValueKind.String)
            {
                return ApiProblem.Invalid($"attributes.{attribute.Name}", $"attributes.{attribute.Name} must be a string: static text or a Liquid template.");
            }

            attributes[attribute.Name] = attribute.Value.GetString()!;
        }

        rule = new RuleDefinition(name ?? "", eventName, sources, identifier, Text(target, "value"), attributes);
        return null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
