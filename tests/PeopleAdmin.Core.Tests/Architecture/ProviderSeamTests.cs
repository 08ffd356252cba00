using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.People.Store.Sqlite;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.Tests.Architecture;

/// <summary>
/// The rules, the writer and the store's own seam see a store only through Core's types: adding a provider adds
/// files beside <c>Store/Sqlite</c> and does not edit them.
/// </summary>
public sealed class ProviderSeamTests
{
    private static readonly string[] ProviderAssemblies = ["Microsoft.Data.Sqlite", "SQLitePCLRaw", "Microsoft.EntityFrameworkCore.Sqlite", "Npgsql"];

    private static readonly string[] ProviderNamespaces = [typeof(SqliteWriterStore).Namespace!, typeof(Core.People.Store.Postgres.PostgresWriterStore).Namespace!];

    [Fact]
    public void NoRuleWriterOrSeamTypeReferencesAProviderType()
    {
        var neutral = typeof(PeopleService).Assembly.GetTypes()
            .Where(t => !t.IsNested && IsNeutral(t))
            .ToList();

        var references = neutral
            .SelectMany(t => ProviderTypesUsedBy(t).Select(p => $"{t.FullName} uses {p.FullName}"))
            .ToList();

        neutral.ShouldContain(typeof(Core.People.Rules.IdentifyRules));
        neutral.ShouldContain(typeof(WriteQueue));
        neutral.ShouldContain(typeof(IWriterStore));
        references.ShouldBeEmpty();
    }

    [Fact]
    public void TheCheckFindsTheProviderTypesThatSqlitesOwnWriterUses()
    {
        var used = ProviderTypesUsedBy(typeof(SqliteWriterStore)).Select(t => t.Name).ToList();

        used.ShouldContain(nameof(SqliteStatementCache));
        used.ShouldContain("SqliteConnection");
    }

    [Fact]
    public void TheCheckFindsAProviderTypeUsedOnlyInsideAnAsyncMethodsBody()
    {
        var used = ProviderTypesUsedBy(typeof(UsesAProviderInsideAnAsyncMethod)).Select(t => t.Name).ToList();

        used.ShouldContain("SqliteConnection");
    }

    private static bool IsNeutral(Type type) => type.Namespace switch
    {
        "PeopleAdmin.Core.People.Rules" or "PeopleAdmin.Core.People.Writing" => true,

        // The store's own namespace holds the seam and the provider-neutral store; the read side's SQL
        // (SqliteAudienceSql) is the audience filters' own provider code, and WriterStores and AudienceSql pick a provider.
        "PeopleAdmin.Core.People.Store" => !type.Name.StartsWith("Sqlite", StringComparison.Ordinal) && type != typeof(WriterStores) && type != typeof(AudienceSql),
        _ => false,
    };

    private static IEnumerable<Type> ProviderTypesUsedBy(Type type) =>
        TypeReferences.Of(type).Where(t =>
            ProviderNamespaces.Any(n => t.Namespace?.StartsWith(n, StringComparison.Ordinal) == true)
            || ProviderAssemblies.Any(a => t.Assembly.GetName().Name!.StartsWith(a, StringComparison.Ordinal)));

    private static class UsesAProviderInsideAnAsyncMethod
    {
        public static async Task<int> OpenAsync()
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
            await connection.OpenAsync();
            return 1;
        }
    }
}
