using System.Text.RegularExpressions;

namespace PeopleAdmin.Core.Syncs;

public static class SyncLimits
{
    public const int NameLength = 100;
    public const int HostLength = 253;
    public const int QueryLength = 20_000;

    /// <summary>Customer.io's limit on a sync query's columns.</summary>
    public const int MaxColumns = 50;

    /// <summary>Customer.io stops a run here; PeopleAdmin reads on and warns.</summary>
    public const long RowWarning = 2_000_000;

    public const int PreviewRows = 10;
}

/// <summary>
/// A sync's query as the source runs it: <c>{{last_sync_time}}</c> replaced by a bound parameter, never by text.
/// Only the rules that need no parser are checked here (a bare <c>*</c>, unknown placeholders); the columns are
/// checked by asking the source to describe the query (<see cref="SourceSession.DescribeAsync"/>).
/// </summary>
public sealed partial class SyncQuery
{
    public const string LastSyncTimePlaceholder = "{{last_sync_time}}";
    public const string ParameterName = "last_sync_time";

    private SyncQuery(string text, string sql, bool usesLastSyncTime)
    {
        Text = text;
        Sql = sql;
        UsesLastSyncTime = usesLastSyncTime;
    }

    /// <summary>The query as the operator wrote it.</summary>
    public string Text { get; }

    /// <summary>The query sent to the source, with <c>@last_sync_time</c> where the placeholder was.</summary>
    public string Sql { get; }

    public bool UsesLastSyncTime { get; }

    /// <summary>The query, or the rule it breaks (with the field <c>query</c>).</summary>
    public static SyncQuery Parse(string text, out string? problem)
    {
        problem = Check(text);
        var uses = LastSyncTime().IsMatch(text);
        return new SyncQuery(text, LastSyncTime().Replace(text, "@" + ParameterName), uses);
    }

    private static string? Check(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "query is required: a SELECT that names its columns, one of them id or email";
        }

        if (text.Length > SyncLimits.QueryLength)
        {
            return $"query has {text.Length} characters; the limit is {SyncLimits.QueryLength}";
        }

        if (BareStar().IsMatch(text))
        {
            return "query selects * : name the columns instead (select id, email, plan from …), so that a column added to the table does not change what the sync imports";
        }

        foreach (Match placeholder in Placeholder().Matches(text))
        {
            if (!LastSyncTime().IsMatch(placeholder.Value))
            {
                return $"query uses the placeholder {placeholder.Value}; the only placeholder is {LastSyncTimePlaceholder}";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*select\s+(?:(?:all|distinct)\s+)?\*\s*(?:from\b|;|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareStar();

    [GeneratedRegex(@"\{\{[^{}]*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\{\s*last_sync_time\s*\}\}")]
    private static partial Regex LastSyncTime();
}
