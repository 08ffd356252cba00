using System.Globalization;
using System.Text;
using Npgsql;
using PeopleAdmin.Core.People.Audience;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// An audience filter as PostgreSQL SQL, meaning what <see cref="SqliteAudienceSql"/> means: values compare as the
/// HTTP contract says, text byte by byte (every column is collated <c>"C"</c>), <c>contains</c> ignoring ASCII case
/// only (<c>ILIKE</c> under <c>"C"</c>), and dates in text read by <c>peopleadmin_unixepoch()</c> (the migration's
/// counterpart of SQLite's <c>unixepoch()</c>). PostgreSQL's planner picks the candidate set a selective condition
/// gives by itself, so no statement needs to name one.
/// </summary>
internal sealed class PostgresAudienceSql
{
    private readonly StringBuilder _sql = new();
    private readonly List<NpgsqlParameter> _parameters = [];
    private readonly int _workspaceId;

    /// <summary>Inside an object condition: the JSON column whose attributes the conditions name (of the object or the relationship).</summary>
    private string? _json;

    private PostgresAudienceSql(int workspaceId) => _workspaceId = workspaceId;

    public IReadOnlyList<NpgsqlParameter> Parameters => _parameters;

    private static PostgresAudienceSql For(int workspaceId, AudienceFilter filter)
    {
        var sql = new PostgresAudienceSql(workspaceId);
        sql.Append(filter);
        return sql;
    }

    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Page(int workspaceId, AudienceFilter filter, long after, int limit)
    {
        var sql = For(workspaceId, filter);
        return ($"""
            SELECT p."Id" AS "Value" FROM "People" AS p
            WHERE p."WorkspaceId" = {sql.Add(workspaceId)} AND p."Id" > {sql.Add(after)} AND {sql._sql}
            ORDER BY p."Id" LIMIT {sql.Add(limit)}
            """, sql.Parameters);
    }

    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Count(int workspaceId, AudienceFilter filter)
    {
        var sql = For(workspaceId, filter);
        return ($"""
            SELECT count(*) AS "Value" FROM "People" AS p
            WHERE p."WorkspaceId" = {sql.Add(workspaceId)} AND {sql._sql}
            """, sql.Parameters);
    }

    /// <summary>Of the people named by cio_id, those who exist, each with whether the filter matches them (a bulk action's batch).</summary>
    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Matching(int workspaceId, AudienceFilter filter, IReadOnlyList<string> cioIds)
    {
        var sql = For(workspaceId, filter);
        return ($"""
            SELECT p."CioId" AS "CioId", ({sql._sql}) AS "Matches" FROM "People" AS p
            WHERE p."WorkspaceId" = {sql.Add(workspaceId)} AND p."CioId" = ANY({sql.Add(cioIds.ToArray())})
            """, sql.Parameters);
    }

    /// <summary>Every matching person in key order: columns Id, CioId, ExternalId, Email, then the text of each attribute asked for.</summary>
    public static (string Sql, IReadOnlyList<NpgsqlParameter> Parameters) Rows(int workspaceId, AudienceFilter filter, IReadOnlyList<string> attributes)
    {
        var sql = For(workspaceId, filter);
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
            columns.Append(", ").Append(alias).Append(".\"TextValue\"");
            joins.Append($" LEFT JOIN \"PersonAttributes\" AS {alias} ON {alias}.\"WorkspaceId\" = p.\"WorkspaceId\" AND {alias}.\"PersonId\" = p.\"Id\" AND {alias}.\"Name\" = {sql.Add(attributes[i])}");
        }

        return ($"""
            SELECT p."Id", p."CioId", p."ExternalId", p."Email"{columns} FROM "People" AS p{joins}
            WHERE p."WorkspaceId" = {sql.Add(workspaceId)} AND {sql._sql}
            ORDER BY p."Id"
            """, sql.Parameters);
    }

    /// <summary>The distinct attribute names of the workspace, one index seek each (DISTINCT would read every attribute row).</summary>
    public const string AttributeNames = """
        WITH RECURSIVE names("Value") AS (
            SELECT min("Name") FROM "PersonAttributes" WHERE "WorkspaceId" = @w
            UNION ALL
            SELECT (SELECT min("Name") FROM "PersonAttributes" WHERE "WorkspaceId" = @w AND "Name" > names."Value") FROM names WHERE names."Value" IS NOT NULL)
        SELECT "Value" FROM names WHERE "Value" IS NOT NULL LIMIT @limit
        """;

    private string Add(object value)
    {
        var name = "@f" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new NpgsqlParameter(name, value));
        return name;
    }

    private void Append(AudienceFilter filter)
    {
        switch (filter)
        {
            case AllOf all:
                AppendGroup(all.Filters, " AND ", "TRUE");
                break;
            case AnyOf any:
                AppendGroup(any.Filters, " OR ", "FALSE");
                break;
            case Not not:
                _sql.Append("NOT (");
                Append(not.Filter);
                _sql.Append(')');
                break;
            case InSegment segment:
                _sql.Append("EXISTS (SELECT 1 FROM \"SegmentMemberships\" AS m WHERE m.\"SegmentId\" = ").Append(Add(segment.SegmentId))
                    .Append(" AND m.\"PersonId\" = p.\"Id\" AND m.\"WorkspaceId\" = ").Append(Add(_workspaceId)).Append(')');
                break;
            case AttributeFilter attribute:
                AppendAttribute(attribute);
                break;
            case DateWindow window:
                AppendWindow(window);
                break;
            case RelatedObject related:
                AppendRelated(related);
                break;
            default:
                throw new ArgumentException($"Unknown filter {filter.GetType().Name}.", nameof(filter));
        }
    }

    /// <summary>
    /// A relationship <c>r</c> of the person to an object <c>o</c> of the type, each side's conditions reading the
    /// names of its JSON attributes (one <c>jsonb_each</c> per condition).
    /// </summary>
    private void AppendRelated(RelatedObject related)
    {
        _sql.Append("EXISTS (SELECT 1 FROM \"Relationships\" AS r JOIN \"Objects\" AS o ON o.\"WorkspaceId\" = r.\"WorkspaceId\" AND o.\"Id\" = r.\"ObjectRowId\"")
            .Append(" WHERE r.\"WorkspaceId\" = p.\"WorkspaceId\" AND r.\"PersonId\" = p.\"Id\" AND o.\"WorkspaceId\" = ")
            .Append(Add(_workspaceId))
            .Append(" AND o.\"ObjectTypeRowId\" = (SELECT t.\"Id\" FROM \"ObjectTypes\" AS t WHERE t.\"WorkspaceId\" = ").Append(Add(_workspaceId))
            .Append(" AND t.\"TypeId\" = ").Append(Add(related.ObjectTypeId)).Append(") AND ");
        Inside(related.Object, "o.\"Attributes\"");
        _sql.Append(" AND ");
        Inside(related.Relationship, "r.\"Attributes\"");
        _sql.Append(')');
    }

    private void Inside(AudienceFilter filter, string json)
    {
        var outer = _json;
        _json = json;
        Append(filter);
        _json = outer;
    }

    /// <summary>
    /// The value of one JSON attribute as a condition compares it: text (booleans as true/false, numbers by their
    /// text), a number only when it was sent as one, as a person's attributes keep them. No braces (<c>#&gt;&gt; '{}'</c>):
    /// EF Core's raw queries read them as format items.
    /// </summary>
    private const string JsonText = "(jsonb_build_array(j.value) ->> 0) COLLATE \"C\"";

    private const string JsonNumber = "(CASE WHEN jsonb_typeof(j.value) = 'number' THEN j.value::double precision END)";

    /// <summary>The probe of an attribute and its (text, number) forms, wherever the condition is.</summary>
    private (string Probe, string Text, string Number) Probe(string name) => _json is { } json
        ? ($"SELECT 1 FROM jsonb_each({json}::jsonb) AS j WHERE j.key = {Add(name)}", JsonText, JsonNumber)
        : ($"SELECT 1 FROM \"PersonAttributes\" AS a WHERE a.\"WorkspaceId\" = p.\"WorkspaceId\" AND a.\"PersonId\" = p.\"Id\" AND a.\"Name\" = {Add(name)}", "a.\"TextValue\"", "a.\"NumberValue\"");

    private void AppendWindow(DateWindow window)
    {
        if (_json is null && PersonField(window.Name) is { } field)
        {
            _sql.Append($"COALESCE({field.Present} AND {WindowComparison(window, field.Text, field.Number)}, FALSE)");
            return;
        }

        var (probe, text, number) = Probe(window.Name);
        _sql.Append($"EXISTS ({probe} AND {WindowComparison(window, text, number)})");
    }

    /// <summary>A number held is unix seconds, a bare date a calendar day (its UTC midnight), other ISO-8601 text a moment.</summary>
    private string WindowComparison(DateWindow window, string text, string number)
    {
        var (from, to) = (Add(window.From), Add(window.To));
        var date = $"peopleadmin_unixepoch({text})";
        return $"(CASE WHEN {number} IS NOT NULL THEN {number} >= {from} AND {number} < {to}"
            + $" WHEN {text} ~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$' THEN {date} >= {Add(window.DayFrom)} AND {date} < {Add(window.DayTo)}"
            + $" ELSE {date} >= {from} AND {date} < {to} END)";
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
            _sql.Append(i > 0 ? separator : "");
            Append(filters[i]);
        }

        _sql.Append(')');
    }

    /// <summary>The person's own fields: their text form, number form and whether the person has them.</summary>
    private static (string Text, string Number, string Present)? PersonField(string name) => name switch
    {
        ReservedKeys.Id => ("p.\"ExternalId\"", "NULL::double precision", "p.\"ExternalId\" IS NOT NULL"),
        ReservedKeys.Email => ("p.\"Email\"", "NULL::double precision", "p.\"Email\" IS NOT NULL"),
        ReservedKeys.CioId => ("p.\"CioId\"", "NULL::double precision", "TRUE"),
        ReservedKeys.CreatedAt => ("CAST(p.\"CreatedAt\" AS text) COLLATE \"C\"", "p.\"CreatedAt\"::double precision", "TRUE"),
        ReservedKeys.Unsubscribed => ("(CASE WHEN p.\"Unsubscribed\" THEN 'true' ELSE 'false' END) COLLATE \"C\"", "NULL::double precision", "TRUE"),
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
                _ => $"COALESCE({field.Present} AND {Comparison(filter, field.Text, field.Number)}, FALSE)",
            });
            return;
        }

        var (probe, text, number) = Probe(filter.Name);
        _sql.Append(filter.Operator switch
        {
            AttributeOperator.Exists => $"EXISTS ({probe})",
            AttributeOperator.NotExists => $"NOT EXISTS ({probe})",
            _ => $"EXISTS ({probe} AND {Comparison(filter, text, number)})",
        });
    }

    private string Comparison(AttributeFilter filter, string text, string number)
    {
        var value = filter.Value!;
        var isoDate = $"peopleadmin_unixepoch({text})";
        switch (filter.Operator)
        {
            case AttributeOperator.Equals:
                return $"{text} = {Add(value)}";
            case AttributeOperator.NotEquals:
                return $"{text} <> {Add(value)}";
            case AttributeOperator.Contains:
                return $"{text} ILIKE {Add("%" + SqliteAudienceSql.EscapeLike(value) + "%")} ESCAPE '\\'";
            case AttributeOperator.Greater or AttributeOperator.Less:
                var sign = filter.Operator == AttributeOperator.Greater ? ">" : "<";
                if (!FilterValues.TryDate(value, out var bound))
                {
                    return $"{text} {sign} {Add(value)}";
                }

                // A number held compares as a number, or as unix seconds against a date: the same comparison either way.
                var at = Add(bound);
                return $"(CASE WHEN {number} IS NOT NULL THEN {number} {sign} {at} WHEN {isoDate} IS NOT NULL THEN {isoDate} {sign} {at} ELSE {text} {sign} {Add(value)} END)";
            case AttributeOperator.Before or AttributeOperator.After:
                FilterValues.TryDate(value, out var date);
                var op = filter.Operator == AttributeOperator.After ? ">" : "<";
                var when = Add(date);
                return $"(CASE WHEN {number} IS NOT NULL THEN {number} {op} {when} ELSE {isoDate} {op} {when} END)";
            default:
                throw new ArgumentException($"Operator {filter.Operator} needs no comparison.", nameof(filter));
        }
    }
}
