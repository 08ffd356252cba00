using PeopleAdmin.Core.People.Audience;

namespace PeopleAdmin.Web.Features.People;

/// <summary>What a condition row of the filter builder tests: an attribute with an operator, segment membership, or a related object.</summary>
public enum ConditionKind
{
    Attribute,
    InSegment,
    NotInSegment,
    RelatedObject,
}

/// <summary>One condition row as the operator edits it.</summary>
public sealed class ConditionDraft
{
    public ConditionKind Kind { get; set; }

    public string? Name { get; set; }

    public AttributeOperator Operator { get; set; } = AttributeOperator.Equals;

    public string? Value { get; set; }

    /// <summary>Where the days of "within the next/last" begin (an IANA name); UTC when empty.</summary>
    public string? TimeZone { get; set; }

    public int? SegmentId { get; set; }

    public int? ObjectTypeId { get; set; }

    /// <summary>The related object's attribute condition; none (any object of the type) while its name is empty.</summary>
    public ConditionDraft ObjectAttribute { get => field ??= new(); set; }

    /// <summary>The relationship's own attribute condition; none while its name is empty.</summary>
    public ConditionDraft RelationshipAttribute { get => field ??= new(); set; }
}

/// <summary>
/// The People page's filter as the builder edits it: a group whose conditions must all (or any) hold, holding condition
/// rows and, at the top, groups of its own. <see cref="ToFilter"/> and <see cref="From"/> convert to and from the
/// audience filter kept in the query string.
/// </summary>
public sealed class FilterDraft
{
    public bool MatchAll { get; set; } = true;

    public List<ConditionDraft> Conditions { get; } = [];

    public List<FilterDraft> Groups { get; } = [];

    public bool IsEmpty => Conditions.Count == 0 && Groups.All(g => g.IsEmpty);

    /// <summary>The filter, or the first row that is not complete yet (its position and what it lacks).</summary>
    public (AudienceFilter? Filter, string? Problem) ToFilter(string where = "Condition")
    {
        var parts = new List<AudienceFilter>();
        for (var i = 0; i < Conditions.Count; i++)
        {
            var (part, problem) = ToFilter(Conditions[i]);
            if (problem is not null)
            {
                return (null, $"{where} {i + 1}: {problem}");
            }

            parts.Add(part!);
        }

        for (var i = 0; i < Groups.Count; i++)
        {
            var (group, problem) = Groups[i].ToFilter($"Group {i + 1}, condition");
            if (problem is not null)
            {
                return (null, problem);
            }

            parts.Add(group!);
        }

        return (MatchAll ? new AllOf(parts) : new AnyOf(parts), null);
    }

    private static (AudienceFilter? Filter, string? Problem) ToFilter(ConditionDraft condition)
    {
        if (condition.Kind is ConditionKind.InSegment or ConditionKind.NotInSegment)
        {
            if (condition.SegmentId is not { } segment)
            {
                return (null, "choose a segment");
            }

            return (condition.Kind == ConditionKind.InSegment ? new InSegment(segment) : new Not(new InSegment(segment)), null);
        }

        if (condition.Kind == ConditionKind.RelatedObject)
        {
            if (condition.ObjectTypeId is not { } type)
            {
                return (null, "choose an object type");
            }

            var (onObject, objectProblem) = Optional(condition.ObjectAttribute, "on the object, ");
            var (onRelationship, relationshipProblem) = Optional(condition.RelationshipAttribute, "on the relationship, ");
            var sideProblem = objectProblem ?? relationshipProblem;
            return sideProblem is not null ? (null, sideProblem) : (new RelatedObject(type, onObject!, onRelationship!), null);
        }

        return ToAttribute(condition);
    }

    private static (AudienceFilter? Filter, string? Problem) ToAttribute(ConditionDraft condition)
    {
        var attribute = new AttributeFilter(
            condition.Name?.Trim() ?? "",
            condition.Operator,
            condition.Operator is AttributeOperator.Exists or AttributeOperator.NotExists ? null : condition.Value?.Trim(),
            condition.Operator is AttributeOperator.WithinNext or AttributeOperator.WithinLast && !string.IsNullOrWhiteSpace(condition.TimeZone) ? condition.TimeZone.Trim() : null);
        return AudienceFilterRules.Problem(attribute) is { } problem ? (null, problem) : (attribute, null);
    }

    /// <summary>An object's or a relationship's condition: everyone when it names no attribute.</summary>
    private static (AudienceFilter? Filter, string? Problem) Optional(ConditionDraft condition, string side)
    {
        if (string.IsNullOrWhiteSpace(condition.Name))
        {
            return (AudienceFilter.Everyone, null);
        }

        var (filter, problem) = ToAttribute(condition);
        return (filter, problem is null ? null : side + problem);
    }

    /// <summary>The builder's row for an object's or a relationship's condition: one attribute condition, or none.</summary>
    private static ConditionDraft? Side(AudienceFilter filter) => filter switch
    {
        AllOf { Filters.Count: 0 } => new ConditionDraft(),
        AttributeFilter attribute => new() { Name = attribute.Name, Operator = attribute.Operator, Value = attribute.Value, TimeZone = attribute.TimeZone },
        Not { Filter: AttributeFilter { Operator: AttributeOperator.Exists } attribute } => new() { Name = attribute.Name, Operator = AttributeOperator.NotExists },
        _ => null,
    };

    /// <summary>The builder's form of a filter; null when the filter nests deeper than the builder shows.</summary>
    public static FilterDraft? From(AudienceFilter filter, int depth = 0)
    {
        var (matchAll, parts) = filter switch
        {
            AllOf all => (true, all.Filters),
            AnyOf any => (false, any.Filters),
            _ => (true, (IReadOnlyList<AudienceFilter>)[filter]),
        };
        var draft = new FilterDraft { MatchAll = matchAll };
        foreach (var part in parts)
        {
            switch (part)
            {
                case AttributeFilter attribute:
                    draft.Conditions.Add(new() { Name = attribute.Name, Operator = attribute.Operator, Value = attribute.Value, TimeZone = attribute.TimeZone });
                    break;
                case RelatedObject related when Side(related.Object) is { } onObject && Side(related.Relationship) is { } onRelationship:
                    draft.Conditions.Add(new() { Kind = ConditionKind.RelatedObject, ObjectTypeId = related.ObjectTypeId, ObjectAttribute = onObject, RelationshipAttribute = onRelationship });
                    break;
                case Not { Filter: AttributeFilter { Operator: AttributeOperator.Exists } attribute }:
                    draft.Conditions.Add(new() { Name = attribute.Name, Operator = AttributeOperator.NotExists });
                    break;
                case InSegment segment:
                    draft.Conditions.Add(new() { Kind = ConditionKind.InSegment, SegmentId = segment.SegmentId });
                    break;
                case Not { Filter: InSegment segment }:
                    draft.Conditions.Add(new() { Kind = ConditionKind.NotInSegment, SegmentId = segment.SegmentId });
                    break;
                case AllOf or AnyOf when depth == 0 && From(part, depth + 1) is { } group:
                    draft.Groups.Add(group);
                    break;
                default:
                    return null;
            }
        }

        return draft;
    }
}
