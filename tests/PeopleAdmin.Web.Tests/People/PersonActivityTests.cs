using PeopleAdmin.Core.People;
using PeopleAdmin.Web.Features.People;

namespace PeopleAdmin.Web.Tests.People;

/// <summary>How the Activity tab words an entry: merges in sentences, and the operator who made a change.</summary>
public sealed class PersonActivityTests
{
    private static ActivityItem Entry(string type, string data) =>
        new(1, type, null, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), null, Sources.Ui, "abc", "u-1", null, null, data);

    [Fact]
    public void AMergeEntryIsWordedAndNamesTheOperator()
    {
        var entry = Entry(ActivityTypes.ProfileMerge, """
            {"secondary":"x9","merge_record":4,"identifiers_taken":["email"],"attributes_taken":[],"activity_moved":3,"devices_moved":0,"segments_joined":1,"actor":"owner@example.test"}
            """);

        PersonActivity.Details(entry).ShouldBe(
        [
            "Merged in: cio_x9",
            "Merge record: 4",
            "Identifiers taken over: email",
            "Attributes taken over: none",
            "Activity entries moved: 3",
            "Devices moved: 0",
            "Segments joined: 1",
        ]);
        PersonActivity.Caption(entry).ShouldBe("2026-01-02 03:04:05 · from ui · by owner@example.test");
    }

    [Fact]
    public void AnUndoSaysWhoWasRestored()
    {
        var entry = Entry(ActivityTypes.MergeUndo, """{"secondary":"x9","merge_record":4,"kept":["plan"],"actor":null}""");

        PersonActivity.Details(entry).ShouldBe(["Restored: cio_x9", "Merge record: 4", "Kept, because they changed since the merge: plan"]);
        PersonActivity.Caption(entry).ShouldBe("2026-01-02 03:04:05 · from ui");
    }

    [Fact]
    public void AnEntryOfAnOperatorsChangeNamesThem()
    {
        var entry = Entry(ActivityTypes.AttributeChange, """{"plan":{"from":"free","to":"pro"}}""") with { Actor = "editor@example.test" };

        PersonActivity.Caption(entry).ShouldBe("2026-01-02 03:04:05 · from ui · by editor@example.test");
        PersonActivity.Details(entry).ShouldBe(["plan: free → pro"]);
    }
}
