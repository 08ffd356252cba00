namespace PeopleAdmin.Core.Actions;

/// <summary>
/// A "create or update person" rule: when an event of <see cref="EventName"/> arrives (from one of <see cref="Sources"/>),
/// or when its webhook URL is called, it identifies a person (the event's own, or one named by a rendered identifier)
/// and sets attributes rendered from Liquid templates, through the identity service with source <c>action</c>.
/// </summary>
public sealed class ActionRule
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public required string Name { get; set; }

    /// <summary>The event name that triggers the rule; null for a webhook rule.</summary>
    public string? EventName { get; set; }

    /// <summary>The ways in whose events trigger the rule (<c>api</c>, <c>csv</c>, <c>sync</c>, <c>snippet</c>, <c>form</c>, <c>lead_ad</c>).</summary>
    public List<string> Sources { get; set; } = [];

    /// <summary>The webhook URL's secret; unique, replaced on rotation. Null for an event rule.</summary>
    public string? WebhookToken { get; set; }

    /// <summary>Null targets the event's own person; <c>id</c> or <c>email</c> names the person by <see cref="TargetValue"/>.</summary>
    public string? TargetIdentifier { get; set; }

    /// <summary>A Liquid template rendering the target identifier's value.</summary>
    public string? TargetValue { get; set; }

    /// <summary>Attribute name to Liquid template, as a JSON object.</summary>
    public required string AttributesJson { get; set; }

    public bool Enabled { get; set; } = true;

    public long CreatedMs { get; set; }

    public long UpdatedMs { get; set; }
}

public enum RuleRunStatus : byte
{
    /// <summary>The person was created or updated as configured.</summary>
    Applied = 0,

    /// <summary>Applied, but some identifiers or attributes could not be set (listed in the reason).</summary>
    Partial = 1,

    /// <summary>The identity rules ignored the write (a suppressed identifier, an unknown person).</summary>
    Ignored = 2,

    /// <summary>Nothing was written: a template error, an invalid identifier, a refused write.</summary>
    Failed = 3,
}

/// <summary>One run of a rule, kept in its history (the newest <see cref="RuleRunHistory.Kept"/> per rule).</summary>
public sealed class ActionRuleRun
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long RuleId { get; set; }

    public long AtMs { get; set; }

    /// <summary>What triggered the run: <c>event "name" from api</c>, <c>webhook</c>.</summary>
    public required string Trigger { get; set; }

    public RuleRunStatus Status { get; set; }

    /// <summary>The person written, when there is one.</summary>
    public string? CioId { get; set; }

    /// <summary>Why a run failed, was ignored or applied in part.</summary>
    public string? Reason { get; set; }
}

public static class RuleRunHistory
{
    public const int Kept = 50;
}
