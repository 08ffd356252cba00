using System.Globalization;
using System.Text.Json.Nodes;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Actions;

/// <summary>
/// One run of a rule (identity-rules.md, the action row): renders the target and the attributes over plain values
/// (<c>event</c>, <c>webhook</c>, <c>customer</c>), then identifies through the identity service with source
/// <c>action</c>, the rule's name as the actor. A rule triggered by a public source's event acts as a public source.
/// Answers the run as the history keeps it; a template that fails writes nothing.
/// </summary>
internal static class RuleRun
{
    public const string NoPerson = "the event has no person (an anonymous event): target a person by an identifier";
    public const string EmptyTarget = "the target identifier's template rendered nothing";

    public static async Task<ActionRuleRun> ExecuteAsync(PeopleService people, ActionRule rule, RuleJob job, CancellationToken ct)
    {
        var run = new ActionRuleRun { WorkspaceId = rule.WorkspaceId, RuleId = rule.Id, Trigger = TriggerOf(job) };
        var definition = RulesService.DefinitionOf(rule);
        var isPublic = job.EventName is not null && RuleDefinition.PublicSources.Contains(job.Source);
        var model = new JsonObject();
        if (job.EventName is not null)
        {
            model["event"] = new JsonObject { ["name"] = job.EventName, ["data"] = job.EventData?.DeepClone() ?? new JsonObject() };
        }
        else
        {
            model["webhook"] = job.Webhook?.DeepClone();
        }

        var eventPerson = job.CioId is null ? null : await people.GetPersonAsync(job.WorkspaceId, PersonReference.ForCioId(job.CioId), ct);
        model["customer"] = Customer(eventPerson);

        PersonReference reference;
        if (definition.TargetIdentifier is null)
        {
            if (eventPerson is null)
            {
                return Failed(run, NoPerson);
            }

            // A public source never references by cio_id: the run names the event's person by an identifier they hold.
            reference = !isPublic ? PersonReference.ForCioId(eventPerson.CioId)
                : eventPerson.Id is { } id ? PersonReference.ForId(id)
                : PersonReference.ForEmail(eventPerson.Email!);
        }
        else
        {
            var (value, error) = await RuleTemplates.RenderAsync(definition.TargetValue!, model);
            if (error is not null)
            {
                return Failed(run, $"target.value: {error}");
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                return Failed(run, EmptyTarget);
            }

            reference = definition.TargetIdentifier == RuleDefinition.TargetEmail ? PersonReference.ForEmail(value.Trim()) : PersonReference.ForId(value.Trim());
            model["customer"] = Customer(await people.GetPersonAsync(job.WorkspaceId, reference, ct));
        }

        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var (name, template) in definition.Attributes)
        {
            var (value, error) = await RuleTemplates.RenderAsync(template, model);
            if (error is not null)
            {
                return Failed(run, $"attributes.{name}: {error}");
            }

            // A template that renders nothing (data the event lacks) leaves the value as it is: it never clears an identifier.
            if (!string.IsNullOrEmpty(value))
            {
                attributes[name] = AttributeValue.FromString(value);
            }
        }

        PeopleOperation operation = isPublic ? new PublicIdentifyOperation(reference, attributes) : new IdentifyOperation(reference, attributes);
        var result = await people.ExecuteAsync(new OperationContext(job.WorkspaceId, Sources.Action, rule.Name), operation, ct);
        run.CioId = result.CioId;
        (run.Status, run.Reason) = result switch
        {
            { Status: OperationStatus.Rejected } => (RuleRunStatus.Failed, result.Error is { } e ? $"{e.Field}: {e.Message}" : "the write was refused"),
            { Status: OperationStatus.Ignored } => (RuleRunStatus.Ignored, result.IgnoredReason),
            { FailedChanges.Count: > 0 } => (RuleRunStatus.Partial, string.Join("; ", result.FailedChanges.Select(f => $"{f.Identifier} \"{f.Value}\": {f.Reason}"))),
            _ => (RuleRunStatus.Applied, null),
        };
        run.Reason = Bound(run.Reason);
        return run;
    }

    /// <summary>The person's profile as templates see it: identifiers, <c>created_at</c> and every attribute, typed as stored.</summary>
    private static JsonObject Customer(PersonDetails? person)
    {
        var customer = new JsonObject();
        if (person is null)
        {
            return customer;
        }

        foreach (var attribute in person.Attributes)
        {
            customer[attribute.Name] = attribute.Type switch
            {
                AttributeType.Number when double.TryParse(attribute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
                AttributeType.Boolean => attribute.Value == "true",
                _ => attribute.Value,
            };
        }

        customer["cio_id"] = person.CioId;
        customer["id"] = person.Id;
        customer["email"] = person.Email;
        customer["created_at"] = person.CreatedAt;
        return customer;
    }

    private static string TriggerOf(RuleJob job) =>
        job.EventName is null ? "webhook" : Bound($"event \"{job.EventName}\" from {job.Source}", 200)!;

    private static ActionRuleRun Failed(ActionRuleRun run, string reason)
    {
        run.Status = RuleRunStatus.Failed;
        run.Reason = Bound(reason);
        return run;
    }

    private static string? Bound(string? text, int max = 2000) => text is null || text.Length <= max ? text : text[..(max - 1)] + "…";
}
