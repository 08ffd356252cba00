namespace PeopleAdmin.Core.People;

public sealed partial class PeopleService
{
    /// <summary>
    /// The bulk path of identify: one writer operation for many people, new people inserted with prepared
    /// statements. Answers one result per item, as <see cref="ExecuteBatchAsync"/> would; when the chunk fails as a
    /// whole, every item carries that failure and nothing of the chunk is applied.
    /// </summary>
    public async Task<IReadOnlyList<OperationResult>> ImportPeopleAsync(
        OperationContext context, IReadOnlyList<IdentifyOperation> people, CancellationToken cancellationToken)
    {
        if (people.Count == 0)
        {
            return [];
        }

        var operation = new ImportPeopleOperation(people);
        var result = (await _writer.SubmitAsync(context, [operation], cancellationToken))[0];
        return result.Status == OperationStatus.Rejected ? [.. people.Select(_ => result)] : operation.Results;
    }
}
