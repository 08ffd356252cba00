using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Syncs;

/// <summary>A run's counts as it goes, and its first failed rows for the errors report.</summary>
public sealed class SyncRunCounts
{
    public const int ReportedFailures = 1000;

    private readonly StringBuilder _report = new();

    public long Read { get; set; }

    public long Created { get; set; }

    public long Updated { get; set; }

    public long Skipped { get; set; }

    public long Failed { get; private set; }

    public string? Report => Failed == 0 ? null : "row,identifier,reason\n" + _report;

    public void Fail(long row, string? identifier, string reason)
    {
        if (++Failed <= ReportedFailures)
        {
            _report.Append(row.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(identifier)).Append(',').Append(Csv(reason)).Append('\n');
        }
    }

    private static string Csv(string? value)
    {
        var text = value ?? "";
        // A spreadsheet would run a cell that starts with one of these as a formula.
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}

/// <summary>
/// Applies a run's rows through the identity service's bulk entry point (<see cref="PeopleService.ImportPeopleAsync"/>)
/// with source <c>sync</c>, a chunk at a time. It stands where the CSV import engine will: the runner hands it rows
/// and reads the counts, so that the engine can take its place without the runner changing.
/// </summary>
internal sealed class SyncRowWriter
{
    private readonly PeopleService _people;
    private readonly IDbContextFactory<PeopleAdminDbContext> _factory;
    private readonly Sync _sync;
    private readonly OperationContext _context;
    private readonly int _identifierColumn;
    private readonly (int Index, string Name, bool Identifier)[] _attributes;
    private int? _segmentId;

    private SyncRowWriter(PeopleService people, IDbContextFactory<PeopleAdminDbContext> factory, Sync sync, IReadOnlyList<string> columns)
    {
        _people = people;
        _factory = factory;
        _sync = sync;
        _context = new OperationContext(sync.WorkspaceId, Sources.Sync, "sync:" + sync.Name);
        var attributes = new List<(int, string, bool)>();
        _identifierColumn = -1;
        for (var i = 0; i < columns.Count; i++)
        {
            switch (SyncColumns.Role(columns[i], sync.Identifier))
            {
                case SyncColumns.ColumnRole.Identifier:
                    _identifierColumn = i;
                    break;
                case SyncColumns.ColumnRole.OtherIdentifier:
                    attributes.Add((i, SyncColumns.Name(sync.Identifier == IdentifierKind.Id ? IdentifierKind.Email : IdentifierKind.Id), true));
                    break;
                default:
                    attributes.Add((i, columns[i], false));
                    break;
            }
        }

        if (_identifierColumn < 0)
        {
            throw new SyncSourceException(SourceStages.Query, SyncColumns.Check(columns, sync.Identifier) ?? "the query no longer selects the identifier column");
        }

        _attributes = [.. attributes];
    }

    /// <summary>A writer for the columns the query returned; the segment, when the sync names one, is found or made now.</summary>
    public static async Task<SyncRowWriter> CreateAsync(PeopleService people, IDbContextFactory<PeopleAdminDbContext> factory, Sync sync, IReadOnlyList<string> columns, CancellationToken ct)
    {
        if (SyncColumns.Check(columns, sync.Identifier) is { } broken)
        {
            throw new SyncSourceException(SourceStages.Query, broken);
        }

        var writer = new SyncRowWriter(people, factory, sync, columns);
        if (sync.SegmentName is { } name)
        {
            writer._segmentId = (await people.ListSegmentsAsync(sync.WorkspaceId, ct)).FirstOrDefault(s => s.Name == name)?.Id;
            if (writer._segmentId is null)
            {
                var created = await people.ExecuteAsync(writer._context, new CreateSegmentOperation(name, $"People synced by {sync.Name}"), ct);
                writer._segmentId = created.RecordId is { } id ? (int)id
                    : (await people.ListSegmentsAsync(sync.WorkspaceId, ct)).FirstOrDefault(s => s.Name == name)?.Id
                      ?? throw new SyncSourceException(SourceStages.Query, $"the segment \"{name}\" could not be made: {created.Error?.Message ?? created.IgnoredReason}");
            }
        }

        return writer;
    }

    public async Task WriteAsync(IReadOnlyList<(long Row, object?[] Values)> chunk, SyncRunCounts counts, CancellationToken ct)
    {
        var operations = new List<IdentifyOperation>(chunk.Count);
        var rows = new List<(long Row, string Identifier)>(chunk.Count);
        foreach (var (row, values) in chunk)
        {
            var identifier = SourceValues.Text(values[_identifierColumn])?.Trim();
            if (string.IsNullOrEmpty(identifier))
            {
                counts.Fail(row, null, $"the {SyncColumns.Name(_sync.Identifier)} column is empty");
                continue;
            }

            operations.Add(new IdentifyOperation(Reference(identifier), Attributes(values)));
            rows.Add((row, identifier));
        }

        if (_sync.DataToProcess == SyncDataToProcess.OnlyNew)
        {
            var existing = await ExistingAsync(rows.Select(r => r.Identifier).ToList(), ct);
            for (var i = rows.Count - 1; i >= 0; i--)
            {
                if (existing.Contains(Key(rows[i].Identifier)))
                {
                    counts.Skipped++;
                    rows.RemoveAt(i);
                    operations.RemoveAt(i);
                }
            }
        }

        var results = await _people.ImportPeopleAsync(_context, operations, ct);
        var members = new List<PersonReference>();
        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            switch (result.Status)
            {
                case OperationStatus.Applied when result.Created:
                    counts.Created++;
                    break;
                case OperationStatus.Applied:
                    counts.Updated++;
                    break;
                case OperationStatus.Ignored:
                    counts.Skipped++;
                    break;
                default:
                    counts.Fail(rows[i].Row, rows[i].Identifier, result.Error is { } error ? $"{error.Field}: {error.Message}" : "rejected");
                    break;
            }

            if (result.Status == OperationStatus.Applied && result.CioId is { } cioId)
            {
                members.Add(PersonReference.ForCioId(cioId));
            }
        }

        if (_segmentId is { } segment && members.Count > 0)
        {
            await _people.ExecuteAsync(_context, new AddToSegmentOperation(segment, members), ct);
        }
    }

    private PersonReference Reference(string identifier) =>
        _sync.Identifier == IdentifierKind.Email ? PersonReference.ForEmail(identifier) : PersonReference.ForId(identifier);

    private Dictionary<string, AttributeValue> Attributes(object?[] values)
    {
        var attributes = new Dictionary<string, AttributeValue>(_attributes.Length + 1, StringComparer.Ordinal);
        foreach (var (index, name, identifier) in _attributes)
        {
            var value = Value(values[index]);
            // An empty identifier never clears one: the sync rule keeps set identifiers whatever the setting.
            if (value.IsRemoval && (identifier || _sync.EmptyValues == SyncEmptyValues.Ignore))
            {
                continue;
            }

            attributes[name] = value;
        }

        if (_sync.DataToProcess == SyncDataToProcess.OnlyExisting)
        {
            attributes[ReservedKeys.Update] = AttributeValue.FromBoolean(true);
        }

        return attributes;
    }

    private static AttributeValue Value(object? value) => value switch
    {
        null => AttributeValue.Remove,
        bool flag => AttributeValue.FromBoolean(flag),
        byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            AttributeValue.FromStored(AttributeType.Number, SourceValues.Text(value)!, Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        _ => AttributeValue.FromString(SourceValues.Text(value)),
    };

    private string Key(string identifier) => _sync.Identifier == IdentifierKind.Email ? People.Person.NormalizeEmail(identifier) : identifier;

    private async Task<HashSet<string>> ExistingAsync(List<string> identifiers, CancellationToken ct)
    {
        await using var db = await _factory.CreateDbContextAsync(ct);
        var people = db.People.AsNoTracking().Where(p => p.WorkspaceId == _sync.WorkspaceId);
        if (_sync.Identifier == IdentifierKind.Email)
        {
            var keys = identifiers.Select(People.Person.NormalizeEmail).ToList();
            return [.. await people.Where(p => p.EmailNormalized != null && keys.Contains(p.EmailNormalized)).Select(p => p.EmailNormalized!).ToListAsync(ct)];
        }

        return [.. await people.Where(p => p.ExternalId != null && identifiers.Contains(p.ExternalId)).Select(p => p.ExternalId!).ToListAsync(ct)];
    }
}
