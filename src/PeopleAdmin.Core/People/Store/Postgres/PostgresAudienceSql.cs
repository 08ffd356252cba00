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
            joins.Append($" LEFT JOIN \"PersonAttributes\" AS {alias} ON {alias}.\"PersonId\" = p.\"Id\" AND {alias}.\"Name\" = {sql.Add(attributes[i])}");
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
            default:
                throw new ArgumentException($"Unknown filter {filter.GetType().Name}.", nameof(filter));
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

        if (PersonField(filter.Name) is { } field)
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

        var probe = $"SELECT 1 FROM \"PersonAttributes\" AS a WHERE a.\"PersonId\" = p.\"Id\" AND a.\"Name\" = {Add(filter.Name)}";
        _sql.Append(filter.Operator switch
        {
            AttributeOperator.Exists => $"EXISTS ({probe})",
            AttributeOperator.NotExists => $"NOT EXISTS ({probe})",
            _ => $"EXISTS ({probe} AND {Comparison(filter, "a.\"TextValue\"", "a.\"NumberValue\"")})",
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
