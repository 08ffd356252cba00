using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store;

/// <summary>Which store's fast paths the writer uses: the one that matches the EF Core provider the context was configured with.</summary>
internal static class WriterStores
{
    public static IWriterStore For(IDbContextFactory<PeopleAdminDbContext> factory, ILogger logger)
    {
        using var db = factory.CreateDbContext();
        return db.Database.ProviderName switch
        {
            Sqlite.SqliteWriterStore.ProviderName => new Sqlite.SqliteWriterStore(factory, logger),
            Postgres.PostgresWriterStore.ProviderName => new Postgres.PostgresWriterStore(factory),
            var other => throw new InvalidOperationException($"The people store has no writer for the EF Core provider '{other}'."),
        };
    }
}
