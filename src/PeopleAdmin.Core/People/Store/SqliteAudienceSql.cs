using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// An audience filter as SQLite SQL: the one place where filters meet SQL. <see cref="Predicate"/> is a condition on
/// the person row <c>p</c> (People), with its parameters; every custom-attribute condition is one probe of the
/// attributes' covering index (person, name, text, number), every segment condition one probe of the memberships'
/// primary key (segment, person).
/// </summary>
/// <remarks>
/// Values compare as the HTTP contract says: <c>gt</c> and <c>lt</c> compare numbers when the attribute holds a number
/// and the value reads as one, dates when both read as dates (a number is unix seconds, text a date when it is
/// ISO-8601), text otherwise. Dates in text are read by SQLite's <c>unixepoch()</c>, guarded so that only text
/// starting with YYYY-MM-DD counts (unixepoch would read a bare number as a Julian day).
/// </remarks>
internal sealed class SqliteAudienceSql
{
    private readonly StringBuilder _sql = new();
    private readonly List<SqliteParameter> _parameters = [];
    private readonly int _workspaceId;

    /// <summary>Inside an object condition: the JSON column whose attributes the conditions name (of the object or the relationship).</summary>
    private string? _json;

    private SqliteAudienceSql(int workspaceId) => _workspaceId = workspaceId;

    public string Predicate => _sql.ToString();

    public IReadOnlyList<SqliteParameter> Parameters => _parameters;

    public static SqliteAudienceSql For(int workspaceId, AudienceFilter filter)
    {
        var sql = new SqliteAudienceSql(workspaceId);
        sql.Append(filter);
        return sql;
    }

    /// <summary>
    /// The keys of a page: the workspace's people after <paramref name="after"/> in key order. The unary plus keeps
    /// SQLite off the (workspace, ...) indexes, through which it would read the whole workspace and sort it; with a
    /// driver the page walks the driver's set (a segment's members in order, or an equals seek) instead of everyone.
    /// </summary>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Page(int workspaceId, AudienceFilter filter, long after, int limit)
    {
        var sql = For(workspaceId, filter);
        var driver = sql.CandidatesCondition(filter, Candidacy.ForPage);
        return ($"""
            SELECT p.Id AS Value FROM People AS p
            WHERE +p.WorkspaceId = {sql.Add(workspaceId)} AND p.Id > {sql.Add(after)}{driver} AND {sql.Predicate}
            ORDER BY p.Id LIMIT {sql.Add(limit)}
            """, sql.Parameters);
    }

    /// <summary>
    /// How many people match. <paramref name="numberOnlyNames"/> are attributes that hold no text in the workspace (from
    /// <see cref="HoldsOnlyNumbers"/>), whose range conditions the number index answers exactly.
    /// </summary>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Count(int workspaceId, AudienceFilter filter, IReadOnlySet<string> numberOnlyNames)
    {
        var sql = For(workspaceId, filter);
        var driver = sql.CandidatesCondition(filter, Candidacy.ForCount(numberOnlyNames));
        return ($"""
            SELECT count(*) AS Value FROM People AS p
            WHERE +p.WorkspaceId = {sql.Add(workspaceId)}{driver} AND {sql.Predicate}
            """, sql.Parameters);
    }

    /// <summary>
    /// Every matching person in key order with the text of each attribute asked for (null where they have none):
    /// columns Id, CioId, ExternalId, Email, then one per attribute. One left join per attribute, each a probe of the
    /// covering index, which holds the text beside the key (the primary key's index would need the row as well).
    /// </summary>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Rows(int workspaceId, AudienceFilter filter, IReadOnlyList<string> attributes)
    {
        var sql = For(workspaceId, filter);
        var driver = sql.CandidatesCondition(filter, Candidacy.ForPage);
        var columns = new StringBuilder();
        var joins = new StringBuilder();
        for (var i = 0; i < attributes.Count; i++)
        {
            if (PersonField(attributes[i]) is { } field)
            {
                columns.Append(", ").Append(field.Text);
                continue;
            }

            var alias = "c" + i.ToString(CultureInfo.InvariantCulture);
            columns.Append(", ").Append(alias).Append(".TextValue");
            joins.Append($" LEFT JOIN PersonAttributes AS {alias} ON {alias}.WorkspaceId = p.WorkspaceId AND {alias}.PersonId = p.Id AND {alias}.Name = {sql.Add(attributes[i])}");
        }

        return ($"""
            SELECT p.Id, p.CioId, p.ExternalId, p.Email{columns} FROM People AS p{joins}
            WHERE +p.WorkspaceId = {sql.Add(workspaceId)}{driver} AND {sql.Predicate}
            ORDER BY p.Id
            """, sql.Parameters);
    }

    /// <summary>
    /// Of the people named by cio_id, those who exist, each with whether the filter matches them now: columns CioId and
    /// Matches. One seek of the (workspace, cio_id) index per name, then the filter's probes for that person only.
    /// </summary>
    public static (string Sql, IReadOnlyList<SqliteParameter> Parameters) Matching(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds)
    {
        var sql = For(workspaceId, filter);
        var names = string.Join(", ", cioIds.Select(sql.Add));
        return ($"""
            SELECT p.CioId AS CioId, ({sql.Predicate}) AS Matches FROM People AS p
            WHERE p.WorkspaceId = {sql.Add(workspaceId)} AND p.CioId IN ({names})
            """, sql.Parameters);
    }

    /// <summary>
    /// The distinct attribute names of the workspace, one index seek each (a loose index scan): DISTINCT would read
    /// every attribute row of the workspace.
    /// </summary>
    public const string AttributeNames = """
        WITH RECURSIVE names(Value) AS (
            SELECT min(Name) FROM PersonAttributes WHERE WorkspaceId = @w
            UNION ALL
            SELECT (SELECT min(Name) FROM PersonAttributes WHERE WorkspaceId = @w AND Name > names.Value) FROM names WHERE names.Value IS NOT NULL)
        SELECT Value FROM names WHERE Value IS NOT NULL LIMIT @limit
        """;

    /// <summary>
    /// Whether every value of an attribute is a number: its rows in the number index (numbers only) are all its rows.
    /// Two counts of index ranges, no row read.
    /// </summary>
    public const string HoldsOnlyNumbers = """
        SELECT (SELECT count(*) FROM PersonAttributes WHERE WorkspaceId = @w AND Name = @name)
             = (SELECT count(*) FROM PersonAttributes WHERE WorkspaceId = @w AND Name = @name AND NumberValue IS NOT NULL) AS Value
        """;

    /// <summary>
    /// The custom attributes whose conditions the number index could answer (greater, less, before, after a number or
    /// a date): a count asks <see cref="HoldsOnlyNumbers"/> of each.
    /// </summary>
    public static IEnumerable<string> RangeAttributes(AudienceFilter filter) => filter switch
    {
        AllOf all => all.Filters.SelectMany(RangeAttributes),
        AnyOf any => any.Filters.SelectMany(RangeAttributes),
        AttributeFilter attribute when NumberRange(attribute) is not null => [attribute.Name],
        _ => [],
    };

    /// <summary>
    /// Which candidate sets a statement may start from. A page stops after its first matches, so it only starts from
    /// sets that are cheap to build whole: a segment's members or the holders of a value (a union, or a range such as
    /// "age above 19", can hold nearly everyone, whom walking people by key passes over in a few rows). A count reads
    /// every match anyway, so it also unions any-of branches and reads number ranges of attributes that hold only
    /// numbers.
    /// </summary>
    private sealed record Candidacy(bool Unions, IReadOnlySet<string> NumberOnlyNames)
    {
        public static readonly Candidacy ForPage = new(false, new HashSet<string>());

        public static Candidacy ForCount(IReadOnlySet<string> numberOnlyNames) => new(true, numberOnlyNames);
    }

    private string CandidatesCondition(AudienceFilter filter, Candidacy candidacy) =>
        HasCandidates(filter, candidacy) ? $" AND p.Id IN ({Candidates(filter, candidacy)})" : "";

    /// <summary>Whether an index finds a set of people that holds everyone <paramref name="filter"/> matches.</summary>
    private static bool HasCandidates(AudienceFilter filter, Candidacy candidacy) => filter switch
    {
        InSegment => true,
        // Building the set reads every object of the type: worth it only for a count, which reads every match anyway.
        RelatedObject => candidacy.Unions,
        AttributeFilter { Operator: AttributeOperator.Equals } attribute => !IsPersonField(attribute.Name),
        AttributeFilter attribute => candidacy.NumberOnlyNames.Contains(attribute.Name) && NumberRange(attribute) is not null,
        AllOf all => all.Filters.Any(f => HasCandidates(f, candidacy)),
        AnyOf any => candidacy.Unions && any.Filters.Count > 0 && any.Filters.All(f => HasCandidates(f, candidacy)),
        _ => false,
    };

    /// <summary>
    /// The keys of that set (for an <c>IN (...)</c>), which the predicate then narrows: a segment's members, an equals
    /// seek of the text index, a range of the number index, the first such set of an all-of, the union of an any-of's.
    /// An all-of does not intersect its sets: SQLite builds each whole first, and "in the segment and newsletter is
    /// true" then read 400,000 newsletter readers to keep 20,000 of the segment's 50,000 members (1.5 times the CPU of
    /// probing the 50,000).
    /// </summary>
    private string Candidates(AudienceFilter filter, Candidacy candidacy)
    {
        switch (filter)
        {
            case InSegment segment:
                return $"SELECT m.PersonId FROM SegmentMemberships AS m WHERE m.SegmentId = {Add(segment.SegmentId)} AND m.WorkspaceId = {Add(_workspaceId)}";
            case AttributeFilter { Operator: AttributeOperator.Equals } attribute:
                return $"SELECT a.PersonId FROM PersonAttributes AS a WHERE a.WorkspaceId = {Add(_workspaceId)} AND a.Name = {Add(attribute.Name)} AND a.TextValue = {Add(attribute.Value)}";
            case AttributeFilter attribute when NumberRange(attribute) is var (sign, bound):
                return $"SELECT a.PersonId FROM PersonAttributes AS a WHERE a.WorkspaceId = {Add(_workspaceId)} AND a.Name = {Add(attribute.Name)} AND a.NumberValue {sign} {Add(bound)}";
            case RelatedObject related:
                return $"SELECT r.PersonId FROM Objects AS o JOIN Relationships AS r ON r.WorkspaceId = o.WorkspaceId AND r.ObjectRowId = o.Id WHERE {RelatedCondition(related)}";
            case AllOf all:
                return Candidates(all.Filters.First(f => HasCandidates(f, candidacy)), candidacy);
            case AnyOf any:
                return string.Join(" UNION ", any.Filters.Select(f => Candidates(f, candidacy)));
            default:
                throw new ArgumentException("No index finds the candidates of " + filter, nameof(filter));
        }
    }

    /// <summary>
    /// The comparison a number held makes against the condition's value (a number, or a date as unix seconds), as in
    /// <see cref="Comparison"/>: null when the value is neither, so that only text compares.
    /// </summary>
    private static (string Sign, double Bound)? NumberRange(AttributeFilter filter)
    {
        if (IsPersonField(filter.Name) || !FilterValues.TryDate(filter.Value, out var bound))
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

    public string Add(object? value)
    {
        var name = "@f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
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
                AppendWindow(window);
                break;
            case RelatedObject related:
                // CROSS JOIN keeps this order: SQLite otherwise walks every object of the type for each person.
                _sql.Append("EXISTS (SELECT 1 FROM Relationships AS r CROSS JOIN Objects AS o ON o.WorkspaceId = r.WorkspaceId AND o.Id = r.ObjectRowId")
                    .Append(" WHERE r.WorkspaceId = p.WorkspaceId AND r.PersonId = p.Id AND ")
                    .Append(RelatedCondition(related)).Append(')');
                break;
            default:
                throw new ArgumentException($"Unknown filter {filter.GetType().Name}.", nameof(filter));
        }
    }

    /// <summary>
    /// The condition on an object <c>o</c> and its relationship <c>r</c>: the object's type, then each side's
    /// conditions, which read the names of its JSON attributes (one <c>json_each</c> per condition).
    /// </summary>
    private string RelatedCondition(RelatedObject related)
    {
        var type = $"o.WorkspaceId = {Add(_workspaceId)} AND o.ObjectTypeRowId = (SELECT t.Id FROM ObjectTypes AS t WHERE t.WorkspaceId = {Add(_workspaceId)} AND t.TypeId = {Add(related.ObjectTypeId)})";
        return $"{type} AND {Fragment(related.Object, "o.Attributes")} AND {Fragment(related.Relationship, "r.Attributes")}";
    }

    /// <summary>A filter's SQL on its own, with <paramref name="json"/> as the attributes its conditions name.</summary>
    private string Fragment(AudienceFilter filter, string json)
    {
        var start = _sql.Length;
        var outer = _json;
        _json = json;
        Append(filter);
        _json = outer;
        var fragment = _sql.ToString(start, _sql.Length - start);
        _sql.Length = start;
        return fragment;
    }

    /// <summary>
    /// The value of one JSON attribute as a condition compares it: text (booleans as true/false, numbers by their
    /// text), a number only when it was sent as one, as a person's attributes keep them.
    /// </summary>
    private static string JsonProbe(string json) => $"SELECT 1 FROM json_each({json}) AS j WHERE j.key = ";

    private const string JsonText = "(CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END)";

    private const string JsonNumber = "(CASE WHEN j.type IN ('integer', 'real') THEN j.value END)";

    /// <summary>The probe of an attribute and its (text, number) forms, wherever the condition is.</summary>
    private (string Probe, string Text, string Number) Probe(string name) => _json is { } json
        ? ($"{JsonProbe(json)}{Add(name)}", JsonText, JsonNumber)
        : ($"SELECT 1 FROM PersonAttributes AS a WHERE a.WorkspaceId = p.WorkspaceId AND a.PersonId = p.Id AND a.Name = {Add(name)}", "a.TextValue", "a.NumberValue");

    private void AppendWindow(DateWindow window)
    {
        if (_json is null && PersonField(window.Name) is { } field)
        {
            _sql.Append($"COALESCE({field.Present} AND {WindowComparison(window, field.Text, field.Number, Add)}, 0)");
            return;
        }

        var (probe, text, number) = Probe(window.Name);
        _sql.Append($"EXISTS ({probe} AND {WindowComparison(window, text, number, Add)})");
    }

    /// <summary>
    /// A number held is unix seconds, a bare date a calendar day (its UTC midnight), other ISO-8601 text a moment.
    /// <paramref name="text"/> and <paramref name="number"/> are the value's two forms wherever it is kept (the storage-layout
    /// benchmark reads them from a JSON document); <paramref name="add"/> binds a parameter and answers its name.
    /// </summary>
    internal static string WindowComparison(DateWindow window, string text, string number, Func<object?, string> add)
    {
        var (from, to) = (add(window.From), add(window.To));
        var bareDay = $"unixepoch({text})";
        var moment = $"(CASE WHEN {text} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN unixepoch({text}) END)";
        return $"(CASE WHEN {number} IS NOT NULL THEN {number} >= {from} AND {number} < {to}"
            + $" WHEN {text} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN {bareDay} >= {add(window.DayFrom)} AND {bareDay} < {add(window.DayTo)}"
            + $" ELSE {moment} >= {from} AND {moment} < {to} END)";
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

    private static bool IsPersonField(string name) => PersonField(name) is not null;

    /// <summary>The person's own fields: their text form, number form and whether the person has them.</summary>
    internal static (string Text, string Number, string Present)? PersonField(string name) => name switch
    {
        ReservedKeys.Id => ("p.ExternalId", "NULL", "p.ExternalId IS NOT NULL"),
        ReservedKeys.Email => ("p.Email", "NULL", "p.Email IS NOT NULL"),
        ReservedKeys.CioId => ("p.CioId", "NULL", "1"),
        ReservedKeys.CreatedAt => ("CAST(p.CreatedAt AS TEXT)", "p.CreatedAt", "1"),
        ReservedKeys.Unsubscribed => ("(CASE WHEN p.Unsubscribed THEN 'true' ELSE 'false' END)", "NULL", "1"),
        _ => null,
    };

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

        if (_json is null && PersonField(filter.Name) is { } field)
        {
            // COALESCE: a comparison that is NULL (a date that is not one) must read as false, also under NOT.
            _sql.Append(filter.Operator switch
            {
                AttributeOperator.Exists => field.Present,
                AttributeOperator.NotExists => $"NOT ({field.Present})",
                _ => $"COALESCE({field.Present} AND {Comparison(filter, field.Text, field.Number, Add)}, 0)",
            });
            return;
        }

        var (probe, text, number) = Probe(filter.Name);
        _sql.Append(filter.Operator switch
        {
            AttributeOperator.Exists => $"EXISTS ({probe})",
            AttributeOperator.NotExists => $"NOT EXISTS ({probe})",
            _ => $"EXISTS ({probe} AND {Comparison(filter, text, number, Add)})",
        });
    }

    /// <summary>The condition's comparison of a value's text and number forms (see <see cref="WindowComparison"/>).</summary>
    internal static string Comparison(AttributeFilter filter, string text, string number, Func<object?, string> add)
    {
        var value = filter.Value!;
        var isoDate = $"(CASE WHEN {text} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN unixepoch({text}) END)";
        switch (filter.Operator)
        {
            case AttributeOperator.Equals:
                return $"{text} = {add(value)}";
            case AttributeOperator.NotEquals:
                return $"{text} <> {add(value)}";
            case AttributeOperator.Contains:
                return $"{text} LIKE {add("%" + EscapeLike(value) + "%")} ESCAPE '\\'";
            case AttributeOperator.Greater or AttributeOperator.Less:
                var sign = filter.Operator == AttributeOperator.Greater ? ">" : "<";
                if (!FilterValues.TryDate(value, out var bound))
                {
                    return $"{text} {sign} {add(value)}";
                }

                // A number held compares as a number, or as unix seconds against a date: the same comparison either way.
                var at = add(bound);
                return $"(CASE WHEN {number} IS NOT NULL THEN {number} {sign} {at} WHEN {isoDate} IS NOT NULL THEN {isoDate} {sign} {at} ELSE {text} {sign} {add(value)} END)";
            case AttributeOperator.Before or AttributeOperator.After:
                FilterValues.TryDate(value, out var date);
                var op = filter.Operator == AttributeOperator.After ? ">" : "<";
                var when = add(date);
                return $"(CASE WHEN {number} IS NOT NULL THEN {number} {op} {when} ELSE {isoDate} {op} {when} END)";
            default:
                throw new ArgumentException($"Operator {filter.Operator} needs no comparison.", nameof(filter));
        }
    }

    public static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
