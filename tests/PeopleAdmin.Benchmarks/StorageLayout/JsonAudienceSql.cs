using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Store;

namespace PeopleAdmin.Benchmarks.StorageLayout;

/// <summary>
/// An audience filter as SQL over <see cref="JsonLayout"/>, written as the app's <c>SqliteAudienceSql</c> writes it over
/// attribute rows: the same statements (a page of keys after a key, a count), the same person fields, segment probes
/// and comparisons, and the same candidate sets where an index finds them. Only an attribute's value is read from the
/// person's document instead of a probe of PersonAttributes, and compared by the app's own comparisons; an equals or a number range seeks an expression index when
/// <see cref="JsonLayout"/> has one for that attribute, and otherwise reads every person's document.
/// </summary>
internal sealed class JsonAudienceSql
{
    private const string Document = "p.Attributes";

    private readonly StringBuilder _sql = new();
    private readonly List<SqliteParameter> _parameters = [];
    private readonly int _workspaceId;

    private JsonAudienceSql(int workspaceId) => _workspaceId = workspaceId;

    public IReadOnlyList<SqliteParameter> Parameters => _parameters;

    /// <summary>The keys of a page: the workspace's people after <paramref name="after"/> in key order (relative dates already resolved).</summary>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Page(int workspaceId, AudienceFilter filter, long after, int limit)
    {
        var sql = new JsonAudienceSql(workspaceId);
        var predicate = sql.Predicate(filter);
        var driver = sql.CandidatesCondition(filter, forCount: false, new HashSet<string>());
        return ($"""
            SELECT p.Id FROM People AS p
            WHERE +p.WorkspaceId = {sql.Add(workspaceId)} AND p.Id > {sql.Add(after)}{driver} AND {predicate}
            ORDER BY p.Id LIMIT {sql.Add(limit)}
            """, sql.Parameters);
    }

    /// <summary>How many people match; <paramref name="numberOnlyNames"/> as <see cref="HoldsOnlyNumbers"/> found them.</summary>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Count(int workspaceId, AudienceFilter filter, IReadOnlySet<string> numberOnlyNames)
    {
        var sql = new JsonAudienceSql(workspaceId);
        var predicate = sql.Predicate(filter);
        var driver = sql.CandidatesCondition(filter, forCount: true, numberOnlyNames);
        return ($"""
            SELECT count(*) FROM People AS p
            WHERE +p.WorkspaceId = {sql.Add(workspaceId)}{driver} AND {predicate}
            """, sql.Parameters);
    }

    /// <summary>
    /// Whether every value of an indexed number attribute is a number: nobody holds it without a number there. The
    /// index's null range is the people without a number, whose documents alone are read.
    /// </summary>
    public static string HoldsOnlyNumbers(string name) => $"""
        SELECT NOT EXISTS (SELECT 1 FROM People AS p WHERE p.WorkspaceId = @w AND {JsonLayout.Number(Document, name)} IS NULL AND {JsonLayout.Present(Document, name)})
        """;

    /// <summary>The indexed number attributes whose range conditions a count could start from (as <c>SqliteAudienceSql.RangeAttributes</c>).</summary>
    public static IEnumerable<string> RangeAttributes(AudienceFilter filter) => filter switch
    {
        AllOf all => all.Filters.SelectMany(RangeAttributes),
        AnyOf any => any.Filters.SelectMany(RangeAttributes),
        AttributeFilter attribute when NumberRange(attribute) is not null => [attribute.Name],
        _ => [],
    };

    private string Predicate(AudienceFilter filter)
    {
        Append(filter);
        return _sql.ToString();
    }

    private string CandidatesCondition(AudienceFilter filter, bool forCount, IReadOnlySet<string> numberOnlyNames) =>
        HasCandidates(filter, forCount, numberOnlyNames) ? $" AND p.Id IN ({Candidates(filter, forCount, numberOnlyNames)})" : "";

    private static bool HasCandidates(AudienceFilter filter, bool forCount, IReadOnlySet<string> numberOnlyNames) => filter switch
    {
        InSegment => true,
        AttributeFilter { Operator: AttributeOperator.Equals } attribute => JsonLayout.TextIndexed.Contains(attribute.Name),
        AttributeFilter attribute => forCount && numberOnlyNames.Contains(attribute.Name) && NumberRange(attribute) is not null,
        AllOf all => all.Filters.Any(f => HasCandidates(f, forCount, numberOnlyNames)),
        AnyOf any => forCount && any.Filters.Count > 0 && any.Filters.All(f => HasCandidates(f, forCount, numberOnlyNames)),
        _ => false,
    };

    /// <summary>A segment's members, an equals seek or a range of an expression index, the first set of an all-of, the union of an any-of's.</summary>
    private string Candidates(AudienceFilter filter, bool forCount, IReadOnlySet<string> numberOnlyNames)
    {
        switch (filter)
        {
            case InSegment segment:
                return $"SELECT m.PersonId FROM SegmentMemberships AS m WHERE m.SegmentId = {Add(segment.SegmentId)} AND m.WorkspaceId = {Add(_workspaceId)}";
            case AttributeFilter { Operator: AttributeOperator.Equals } attribute:
                return $"SELECT q.Id FROM People AS q WHERE q.WorkspaceId = {Add(_workspaceId)} AND {JsonLayout.Text("q.Attributes", attribute.Name)} = {Add(attribute.Value)}";
            case AttributeFilter attribute when NumberRange(attribute) is var (sign, bound):
                return $"SELECT q.Id FROM People AS q WHERE q.WorkspaceId = {Add(_workspaceId)} AND {JsonLayout.Number("q.Attributes", attribute.Name)} {sign} {Add(bound)}";
            case AllOf all:
                return Candidates(all.Filters.First(f => HasCandidates(f, forCount, numberOnlyNames)), forCount, numberOnlyNames);
            case AnyOf any:
                return string.Join(" UNION ", any.Filters.Select(f => Candidates(f, forCount, numberOnlyNames)));
            default:
                throw new ArgumentException("No index finds the candidates of " + filter, nameof(filter));
        }
    }

    private static (string Sign, double Bound)? NumberRange(AttributeFilter filter)
    {
        if (!JsonLayout.NumberIndexed.Contains(filter.Name) || !FilterValues.TryDate(filter.Value, out var bound))
        {
            return null;
        }

        return filter.Operator switch
        {
            AttributeOperator.Greater or AttributeOperator.After => (">", bound),
            AttributeOperator.Less or AttributeOperator.Before => ("<", bound),
            _ => null,
        };
    }

    private string Add(object? value)
    {
        var name = "@j" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new SqliteParameter(name, value ?? DBNull.Value));
        return name;
    }

    private void Append(AudienceFilter filter)
    {
        switch (filter)
        {
            case AllOf all:
                AppendGroup(all.Filters, " AND ", "1");
                break;
            case AnyOf any:
                AppendGroup(any.Filters, " OR ", "0");
                break;
            case Not not:
                _sql.Append("NOT (");
                Append(not.Filter);
                _sql.Append(')');
                break;
            case InSegment segment:
                _sql.Append("EXISTS (SELECT 1 FROM SegmentMemberships AS m WHERE m.SegmentId = ").Append(Add(segment.SegmentId))
                    .Append(" AND m.PersonId = p.Id AND m.WorkspaceId = ").Append(Add(_workspaceId)).Append(')');
                break;
            case AttributeFilter attribute:
                AppendAttribute(attribute);
                break;
            case DateWindow window:
                var (present, text, number) = Field(window.Name);
                _sql.Append($"COALESCE({present} AND {SqliteAudienceSql.WindowComparison(window, text, number, Add)}, 0)");
                break;
            default:
                throw new ArgumentException($"The JSON layout's measurement has no SQL for {filter.GetType().Name}.", nameof(filter));
        }
    }

    private void AppendGroup(IReadOnlyList<AudienceFilter> filters, string separator, string empty)
    {
        if (filters.Count == 0)
        {
            _sql.Append(empty);
            return;
        }

        _sql.Append('(');
        for (var i = 0; i < filters.Count; i++)
        {
            if (i > 0)
            {
                _sql.Append(separator);
            }

            Append(filters[i]);
        }

        _sql.Append(')');
    }

    /// <summary>Whether the person has the attribute, its text form and its number form: a person field or the document's value.</summary>
    private static (string Present, string Text, string Number) Field(string name) =>
        SqliteAudienceSql.PersonField(name) is { } field
            ? (field.Present, field.Text, field.Number)
            : (JsonLayout.Present(Document, name), JsonLayout.Text(Document, name), JsonLayout.Number(Document, name));

    private void AppendAttribute(AttributeFilter filter)
    {
        if (AudienceFilterRules.Problem(filter) is { } problem)
        {
            throw new ArgumentException(problem, nameof(filter));
        }

        if (filter.IsRelativeDate)
        {
            throw new ArgumentException($"the {filter.Operator} condition on \"{filter.Name}\" is relative to now: RelativeDates.Resolve makes it a window first", nameof(filter));
        }

        var (present, text, number) = Field(filter.Name);
        // COALESCE: a comparison that is NULL (no value, or a date that is not one) must read as false, also under NOT.
        _sql.Append(filter.Operator switch
        {
            AttributeOperator.Exists => present,
            AttributeOperator.NotExists => $"NOT ({present})",
            _ => $"COALESCE({present} AND {SqliteAudienceSql.Comparison(filter, text, number, Add)}, 0)",
        });
    }
}
