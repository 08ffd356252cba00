using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Objects;

namespace PeopleAdmin.Core.Imports;

public sealed partial class ImportService
{
    private const int TypesNamed = 10;

    /// <summary>
    /// Why an object or relationship import cannot run at all: its object type is not one of the workspace's. Checked
    /// before any row is read, since every row would fail alike. Null for other imports and for a type that exists.
    /// </summary>
    public async Task<ImportOptionsProblem?> ObjectTypeProblemAsync(int workspaceId, ImportOptions options, string field, CancellationToken ct)
    {
        if (!options.IsOfObjects || options.ObjectTypeId is not { } typeId)
        {
            return null;
        }

        await using var db = await factory.CreateDbContextAsync(ct);
        var types = db.Set<ObjectType>().AsNoTracking().Where(t => t.WorkspaceId == workspaceId);
        if (await types.AnyAsync(t => t.TypeId == typeId, ct))
        {
            return null;
        }

        var named = await types.OrderBy(t => t.TypeId).Select(t => new { t.TypeId, t.Name }).Take(TypesNamed + 1).ToListAsync(ct);
        var known = named.Count == 0
            ? "it has none yet"
            : "its types are " + string.Join(", ", named.Take(TypesNamed).Select(t => $"\"{t.TypeId}\" ({t.Name})")) + (named.Count > TypesNamed ? ", …" : "");
        return new ImportOptionsProblem(field, $"object type \"{typeId}\" does not exist in this workspace ({known}); create it first (Settings > Object types, or POST /api/admin/v1/workspaces/{{id}}/object-types)");
    }
}
