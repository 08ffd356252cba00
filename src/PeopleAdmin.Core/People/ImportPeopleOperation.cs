using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People;

/// <summary>
/// Many identifies applied as one operation of the writer (demo data, large imports): each item that creates a
/// plain new person is written with prepared statements; any other item goes through the identify rules in
/// order. The items' results are in <see cref="Results"/> once the operation is committed.
/// </summary>
public sealed record ImportPeopleOperation(IReadOnlyList<IdentifyOperation> People) : PeopleOperation
{
    internal OperationResult[] Results { get; } = new OperationResult[People.Count];

    internal override long EstimatedBytes => People.Sum(p => p.EstimatedBytes);

    internal override Task<OperationResult> ApplyAsync(WriteSession session, CancellationToken cancellationToken) =>
        Rules.ImportPeopleRules.ApplyAsync(this, session, cancellationToken);

    internal override void Prepare()
    {
        foreach (var person in People)
        {
            person.Prepare();
        }
    }
}
