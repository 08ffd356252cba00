using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace PeopleAdmin.Core.Data;

/// <summary>
/// The keys of the people store lead with the workspace, so that a distributed PostgreSQL (Citus) can place each
/// workspace's rows on one node: it requires every primary key and unique key of a distributed table, and both ends of
/// every foreign key between two of them, to hold the distribution column. A table with an <c>Id</c> of its own
/// declares <c>(WorkspaceId, Id)</c>, the key that foreign keys name. On PostgreSQL that key becomes the primary key;
/// SQLite keeps <c>Id</c> as its rowid (it cannot number a composite key) and holds <c>(WorkspaceId, Id)</c> as a
/// unique key beside it only where a foreign key names it, since the rowid alone is unique already.
/// </summary>
internal static class DistributionKeys
{
    public const string Column = "WorkspaceId";

    /// <summary>Marks the key <see cref="HasWorkspaceKey{T}"/> declares, telling it from a plain unique key on the same columns.</summary>
    private const string WorkspaceKeyAnnotation = "PeopleAdmin:WorkspaceKey";

    /// <summary>Declares <c>(WorkspaceId, Id)</c> as the table's key.</summary>
    public static void HasWorkspaceKey<T>(this EntityTypeBuilder<T> builder) where T : class =>
        builder.HasAlternateKey(Column, "Id").HasAnnotation(WorkspaceKeyAnnotation, true);

    /// <summary>The primary key's values of a row keyed by <c>(WorkspaceId, Id)</c>, as the provider holds its primary key.</summary>
    public static object[] KeyOf(IReadOnlyEntityType entity, int workspaceId, object id) =>
        entity.FindPrimaryKey()!.Properties.Count == 2 ? [workspaceId, id] : [id];

    public static void Apply(ModelBuilder builder, bool postgres)
    {
        foreach (var entity in builder.Model.GetEntityTypes().ToList())
        {
            if (entity.FindPrimaryKey() is not { Properties: [{ Name: "Id" } id] } rowKey
                || entity.FindProperty(Column) is not { } workspace
                || entity.FindKey([workspace, id]) is not { } workspaceKey
                || workspaceKey.FindAnnotation(WorkspaceKeyAnnotation) is null)
            {
                continue;
            }

            if (postgres)
            {
                entity.SetPrimaryKey(workspaceKey.Properties);
                entity.RemoveKey(rowKey);
                id.ValueGenerated = ValueGenerated.OnAdd;
                id.SetValueGenerationStrategy(NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
                foreach (var twin in entity.GetIndexes().Where(i => i.Properties.SequenceEqual(workspaceKey.Properties)).ToList())
                {
                    entity.RemoveIndex(twin);
                }
            }
            else if (!workspaceKey.GetReferencingForeignKeys().Any())
            {
                entity.RemoveKey(workspaceKey);
            }
        }
    }
}
