using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PeopleAdmin.Core.Data;

/// <summary>
/// A table keyed by what its rows are about rather than an <c>Id</c> of its own (a person's attributes by workspace,
/// person and name) is kept in its key's order on SQLite: a <c>WITHOUT ROWID</c> table, whose B-tree is the primary key
/// and holds the whole row. A rowid table would hold that key twice, the rows by rowid and the key in an index beside
/// them, so that every insert wrote one B-tree more and every lookup by key read two; and an index that begins with the
/// whole key would only repeat the table. EF Core cannot say <c>WITHOUT ROWID</c>: the SQLite migration that made these
/// tables wrote it (<c>KeyOrderedTables</c>), and <c>KeyOrderedTableTests</c> fails if a later migration rebuilds one
/// without it. PostgreSQL keeps its heap tables, and there an index that covers the key's columns and more still spares
/// a visit to the heap.
/// </summary>
internal static class KeyOrderedTables
{
    private const string Annotation = "PeopleAdmin:KeyOrdered";

    /// <summary>Stores the table in its primary key's order on SQLite.</summary>
    public static void IsKeyOrdered<T>(this EntityTypeBuilder<T> builder) where T : class => builder.HasAnnotation(Annotation, true);

    /// <summary>The tables kept in key order on SQLite.</summary>
    public static IEnumerable<string> Tables(IModel model) =>
        model.GetEntityTypes().Where(e => e.FindAnnotation(Annotation) is not null).Select(e => e.GetTableName()!);

    public static void Apply(ModelBuilder builder, bool postgres)
    {
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => e.FindAnnotation(Annotation) is not null).ToList())
        {
            if (postgres)
            {
                entity.RemoveAnnotation(Annotation);
                continue;
            }

            var key = entity.FindPrimaryKey()!.Properties;
            foreach (var repeat in entity.GetIndexes().Where(i => i.Properties.Take(key.Count).SequenceEqual(key)).ToList())
            {
                entity.RemoveIndex(repeat);
            }
        }
    }
}
