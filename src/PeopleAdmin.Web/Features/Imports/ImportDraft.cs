using Microsoft.AspNetCore.WebUtilities;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Web.Features.Imports;

/// <summary>The wizard's steps before the import exists; the review and the run are the import's own page.</summary>
public enum WizardStep
{
    File,
    Preview,
    Options,
    Mapping,
}

/// <summary>
/// The wizard's whole state, kept in its URL so that a reload or a shared link loses nothing: the received file's
/// name, the file's original name, the step, and the options as the contract's JSON (the engine's own format).
/// </summary>
public sealed record ImportDraft(string? Upload, string? FileName, WizardStep Step, ImportOptions Options)
{
    public const string Path = "/imports/new";

    private const string NewSegment = "new";

    /// <summary>
    /// The draft a URL holds. The segment travels beside the options, as <c>segment</c> (an id, or <c>new</c>) and
    /// <c>segment_name</c>, since a new segment's name is empty while it is being typed, which the options' JSON does not allow.
    /// </summary>
    public static ImportDraft Read(string? upload, string? fileName, string? step, string? options, string? segment, string? segmentName)
    {
        var read = options is not null && ImportOptionsJson.TryRead(options, "", out var parsed) is null ? parsed : new ImportOptions { Identifier = IdentifierKind.Email };
        read = read with
        {
            Segment = read.Type == ImportType.Object ? null
                : segment == NewSegment ? new ImportSegment(null, segmentName ?? "")
                : int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0 ? new ImportSegment(id, null)
                : null,
        };
        var at = Enum.TryParse<WizardStep>(step, ignoreCase: true, out var found) && upload is not null ? found : WizardStep.File;
        return new ImportDraft(upload, fileName, at, read);
    }

    public string Href()
    {
        var query = new Dictionary<string, string?>
        {
            ["file"] = Upload,
            ["name"] = FileName,
            ["step"] = Step == WizardStep.File ? null : Step.ToString().ToLowerInvariant(),
            ["options"] = ImportOptionsJson.Write(Options with { Segment = null }),
            ["segment"] = Options.Segment is { } segment ? segment.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? NewSegment : null,
            ["segment_name"] = Options.Segment is { Id: null, Name: { Length: > 0 } name } ? name : null,
        };
        return QueryHelpers.AddQueryString(Path, query.Where(p => p.Value is not null)!);
    }

    /// <summary>The wizard's first screen, with a segment already chosen (a segment's page links here).</summary>
    public static string ForSegment(int segmentId) => QueryHelpers.AddQueryString(Path, "segment", segmentId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>What each column becomes when the operator has not said: the engine's defaults, with an existing attribute of a similar name preferred.</summary>
    public static ColumnMapping Suggest(string column, ImportType type, IReadOnlyCollection<string> attributes)
    {
        if (type is ImportType.Object or ImportType.Relationship)
        {
            return SuggestOfObjects(column, type);
        }

        if (column == ReservedKeys.Id || column == ReservedKeys.Email)
        {
            return new ColumnMapping(column == ReservedKeys.Id ? ColumnRole.Id : ColumnRole.Email);
        }

        if (type == ImportType.People && column.Equals("email", StringComparison.OrdinalIgnoreCase))
        {
            return new ColumnMapping(ColumnRole.Email);
        }

        if (type == ImportType.Event && column is ImportColumns.EventName or ImportColumns.EventTimestamp)
        {
            return new ColumnMapping(ColumnRole.Attribute, column);
        }

        if (ReservedKeys.IsReserved(column) && column is not (ReservedKeys.CreatedAt or ReservedKeys.Unsubscribed))
        {
            return new ColumnMapping(ColumnRole.Ignore);
        }

        var key = Key(column);
        var existing = attributes.FirstOrDefault(a => a == column) ?? attributes.FirstOrDefault(a => Key(a) == key);
        return new ColumnMapping(ColumnRole.Attribute, existing ?? column.Trim());
    }

    /// <summary>
    /// An object or relationship file's column: its <c>object_id</c>, a person's identifier (relationships only), or an
    /// attribute of the object or relationship under the column's name; people's attribute names are no guide here. A
    /// reserved name (<c>cio_id</c>, and <c>id</c> or <c>email</c> of an object) is no attribute a mapping may name.
    /// </summary>
    private static ColumnMapping SuggestOfObjects(string column, ImportType type)
    {
        if (column == ImportColumns.ObjectIdName)
        {
            return ObjectId;
        }

        if (type == ImportType.Relationship && (column == ReservedKeys.Id || column.Equals(ReservedKeys.Email, StringComparison.OrdinalIgnoreCase)))
        {
            return new ColumnMapping(column == ReservedKeys.Id ? ColumnRole.Id : ColumnRole.Email);
        }

        return ReservedKeys.IsReserved(column) || column.Trim().Length == 0 ? new ColumnMapping(ColumnRole.Ignore) : new ColumnMapping(ColumnRole.Attribute, column.Trim());
    }

    /// <summary>The mapping that makes a column the object id of an object or relationship import, as the engine reads it.</summary>
    public static readonly ColumnMapping ObjectId = new(ColumnRole.Attribute, ImportColumns.ObjectIdName);

    /// <summary>The mapping of every column: the draft's where it has one, the suggestion otherwise.</summary>
    public IReadOnlyDictionary<string, ColumnMapping> MappingOf(IReadOnlyList<string> columns, IReadOnlyCollection<string> attributes) =>
        columns.Distinct(StringComparer.Ordinal).ToDictionary(
            c => c, c => Options.Mapping.TryGetValue(c, out var mapped) ? mapped : Suggest(c, Options.Type, attributes), StringComparer.Ordinal);

    /// <summary>"First Name", "first-name" and "first_name" are one name to a suggestion.</summary>
    private static string Key(string name) =>
        string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();
}
