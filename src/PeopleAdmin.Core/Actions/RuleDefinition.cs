using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Actions;

/// <summary>
/// A rule as the Rules page and the management API define it. <see cref="EventName"/> null makes a webhook rule;
/// <see cref="TargetIdentifier"/> null targets the event's own person.
/// </summary>
public sealed record RuleDefinition(
    string Name,
    string? EventName,
    IReadOnlyList<string>? Sources,
    string? TargetIdentifier,
    string? TargetValue,
    IReadOnlyDictionary<string, string> Attributes,
    bool Enabled = true)
{
    public const int MaxNameLength = 100;
    public const int MaxAttributes = 50;
    public const int MaxAttributeNameLength = 150;
    public const string TargetId = "id";
    public const string TargetEmail = "email";

    /// <summary>Every way in whose events may trigger a rule, as identity-rules.md's action row names them.</summary>
    public static readonly IReadOnlyList<string> AllSources = [People.Sources.Api, People.Sources.Csv, People.Sources.Sync, People.Sources.Snippet, People.Sources.Form, People.Sources.LeadAd];

    /// <summary>A rule runs on these unless it says otherwise: the authenticated ways in.</summary>
    public static readonly IReadOnlyList<string> DefaultSources = [People.Sources.Api, People.Sources.Csv, People.Sources.Sync];

    /// <summary>Events from these are typed by anyone: a rule they trigger acts as a public source.</summary>
    public static readonly IReadOnlySet<string> PublicSources = new HashSet<string>(StringComparer.Ordinal) { People.Sources.Snippet, People.Sources.Form, People.Sources.LeadAd };

    public bool IsWebhook => EventName is null;

    /// <summary>The definition trimmed and checked whole: the first problem names the field and the reason.</summary>
    public (RuleDefinition? Rule, RequestError? Error) Normalize()
    {
        var name = Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            return Invalid("name", $"a rule needs a name of 1 to {MaxNameLength} characters");
        }

        var eventName = EventName?.Trim();
        if (eventName is { Length: 0 or > MaxNameLength })
        {
            return Invalid("trigger.event", $"the event name must be 1 to {MaxNameLength} characters");
        }

        var sources = eventName is null ? [] : (Sources ?? DefaultSources).Distinct(StringComparer.Ordinal).ToList();
        if (sources.FirstOrDefault(s => !AllSources.Contains(s)) is { } unknown)
        {
            return Invalid("trigger.sources", $"\"{unknown}\" is not a source; use {string.Join(", ", AllSources)}");
        }

        if (eventName is not null && sources.Count == 0)
        {
            return Invalid("trigger.sources", "an event rule needs at least one source");
        }

        if (TargetIdentifier is null)
        {
            if (eventName is null)
            {
                return Invalid("target", "a webhook has no person of its own: target a person by an identifier");
            }
        }
        else if (TargetIdentifier is not (TargetId or TargetEmail))
        {
            return Invalid("target.identifier", $"\"{TargetIdentifier}\" is not an identifier; use id or email");
        }
        else if (string.IsNullOrWhiteSpace(TargetValue))
        {
            return Invalid("target.value", "the target needs a template giving the identifier's value");
        }
        else if (RuleTemplates.Problem(TargetValue) is { } problem)
        {
            return Invalid("target.value", $"the template {problem}");
        }

        if (Attributes.Count > MaxAttributes)
        {
            return Invalid("attributes", $"a rule sets at most {MaxAttributes} attributes; this one names {Attributes.Count}");
        }

        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, template) in Attributes)
        {
            var attribute = key.Trim();
            if (attribute.Length is 0 or > MaxAttributeNameLength)
            {
                return Invalid("attributes", $"an attribute name must be 1 to {MaxAttributeNameLength} characters");
            }

            if (attribute is ReservedKeys.CioId || PeopleAdmin.Core.People.Rules.PublicSourceRules.IgnoredKeys.Contains(attribute))
            {
                return Invalid($"attributes.{attribute}", $"\"{attribute}\" is reserved and cannot be set by a rule");
            }

            if (RuleTemplates.Problem(template ?? "") is { } problem)
            {
                return Invalid($"attributes.{attribute}", $"the template {problem}");
            }

            if (!attributes.TryAdd(attribute, template ?? ""))
            {
                return Invalid($"attributes.{attribute}", $"\"{attribute}\" is named twice");
            }
        }

        if (attributes.Count == 0)
        {
            return Invalid("attributes", "a rule sets at least one attribute");
        }

        return (this with
        {
            Name = name,
            EventName = eventName,
            Sources = sources,
            TargetValue = TargetIdentifier is null ? null : TargetValue,
            Attributes = attributes,
        }, null);
    }

    private static (RuleDefinition?, RequestError?) Invalid(string field, string message) => (null, new RequestError(ErrorKind.Invalid, field, message));
}
