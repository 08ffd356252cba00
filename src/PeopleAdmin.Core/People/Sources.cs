namespace PeopleAdmin.Core.People;

/// <summary>Where a change came from, as the activity log records it.</summary>
public static class Sources
{
    public const string Api = "api";
    public const string Ui = "ui";
    public const string Csv = "csv";
    public const string Form = "form";
    public const string Snippet = "snippet";
    public const string Sync = "sync";
    public const string LeadAd = "lead_ad";
}

/// <summary>Who asks for an operation: the workspace it works on, the way in, and the operator or key behind it.</summary>
public sealed record OperationContext(int WorkspaceId, string Source, string? Actor = null);

/// <summary>The activity log's entry types.</summary>
public static class ActivityTypes
{
    public const string ProfileCreate = "profile_create";
    public const string AttributeChange = "attribute_change";
    public const string FailedAttributeChange = "failed_attribute_change";
    public const string SkippedUpdate = "skipped_update";
    public const string RequestIgnored = "request_ignored";
    public const string ProfileMerge = "profile_merge";
    public const string MergeUndo = "merge_undo";
    public const string ProfileDelete = "profile_delete";
    public const string ProfileSuppress = "profile_suppress";
    public const string ProfileUnsuppress = "profile_unsuppress";
    public const string DeviceChange = "device_change";
    public const string SegmentChange = "segment_change";
    public const string Event = "event";
    public const string Page = "page";
    public const string Screen = "screen";
    public const string AnonMerge = "anon_merge";
    public const string SettingsChange = "settings_change";
}
