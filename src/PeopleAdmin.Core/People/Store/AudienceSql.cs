using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PeopleAdmin.Core.People.Audience;

namespace PeopleAdmin.Core.People.Store;

/// <summary>The audience statements in the SQL of the store a context runs on (SQLite's or PostgreSQL's), with their parameters.</summary>
internal static class AudienceSql
{
    public static (string Sql, IReadOnlyList<DbParameter> Parameters) Page(DatabaseFacade database, int workspaceId, AudienceFilter filter, long after, int limit) =>
        database.IsNpgsql()
            ? Widen(Postgres.PostgresAudienceSql.Page(workspaceId, filter, after, limit))
            : Widen(SqliteAudienceSql.Page(workspaceId, filter, after, limit));

    /// <summary>PostgreSQL's count; SQLite's also needs to know which attributes hold only numbers (see <c>PeopleService.CountPeopleAsync</c>).</summary>
    public static (string Sql, IReadOnlyList<DbParameter> Parameters) Count(DatabaseFacade database, int workspaceId, AudienceFilter filter) =>
        database.IsNpgsql()
            ? Widen(Postgres.PostgresAudienceSql.Count(workspaceId, filter))
            : Widen(SqliteAudienceSql.Count(workspaceId, filter, new HashSet<string>()));

    /// <summary>The workspace's distinct attribute names, at most <paramref name="limit"/>.</summary>
    public static (string Sql, DbParameter[] Parameters) AttributeNames(DatabaseFacade database, int workspaceId, int limit) =>
        database.IsNpgsql()
            ? (Postgres.PostgresAudienceSql.AttributeNames, [new Npgsql.NpgsqlParameter("@w", workspaceId), new Npgsql.NpgsqlParameter("@limit", limit)])
            : (SqliteAudienceSql.AttributeNames, [new Microsoft.Data.Sqlite.SqliteParameter("@w", workspaceId), new Microsoft.Data.Sqlite.SqliteParameter("@limit", limit)]);

    private static (string, IReadOnlyList<DbParameter>) Widen<T>((string Sql, IReadOnlyList<T> Parameters) statement)
        where T : DbParameter => (statement.Sql, statement.Parameters);
}
