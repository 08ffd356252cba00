using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// The people and attributes that an everyday operation reads, adds and changes, tracked by the hot path itself
/// rather than by EF Core (whose attaching, snapshots and change detection cost more than the statements that
/// write the changes). Each row read keeps a copy as it was read; the save writes what differs from the copy.
/// When an operation turns out not to be an everyday one (a merge, a delete, a suppression…),
/// <see cref="HandOver"/> gives everything to EF Core's change tracker with the original values, and EF Core
/// tracks and saves the rest of the operation as it always did.
/// </summary>
internal sealed class EverydayTracking
{
    private readonly Dictionary<long, TrackedPerson> _people = [];
    private readonly List<Person> _added = [];
    private readonly Dictionary<(long PersonId, string Name), TrackedAttribute> _attributes = [];
    private readonly HashSet<long> _attributesRead = [];

    public IEnumerable<TrackedPerson> People => _people.Values;

    public int Count => _people.Count + _added.Count + _attributes.Count;

    public IReadOnlyList<Person> AddedPeople => _added;

    public IEnumerable<TrackedAttribute> Attributes => _attributes.Values;

    public Person? FindPerson(long id) => _people.TryGetValue(id, out var tracked) ? tracked.Entity : null;

    public void PersonRead(Person person) => _people[person.Id] = new TrackedPerson(person) { Original = Copy(person) };

    public void PersonAdded(Person person) => _added.Add(person);

    /// <summary>The person's attributes as this operation has them, when they were read before; else null.</summary>
    public Dictionary<string, PersonAttribute>? AttributesOf(long personId)
    {
        if (!_attributesRead.Contains(personId))
        {
            return null;
        }

        var attributes = new Dictionary<string, PersonAttribute>(StringComparer.Ordinal);
        foreach (var tracked in _attributes.Values)
        {
            if (tracked.Entity.PersonId == personId && !tracked.Deleted)
            {
                attributes[tracked.Entity.Name] = tracked.Entity;
            }
        }

        return attributes;
    }

    public void AttributesRead(long personId, IEnumerable<PersonAttribute> attributes)
    {
        _attributesRead.Add(personId);
        foreach (var attribute in attributes)
        {
            // An attribute the operation already added or removed stays as the operation left it.
            _attributes.TryAdd((attribute.PersonId, attribute.Name), new TrackedAttribute(attribute) { Original = Copy(attribute) });
        }
    }

    /// <summary>False when the attribute names a person not written yet: the caller hands over to EF Core then.</summary>
    public bool AttributeAdded(PersonAttribute attribute)
    {
        if (attribute.PersonId == 0)
        {
            return false;
        }

        var key = (attribute.PersonId, attribute.Name);
        _attributes[key] = _attributes.TryGetValue(key, out var removed)
            ? new TrackedAttribute(attribute) { Original = removed.Original }
            : new TrackedAttribute(attribute);
        return true;
    }

    public void AttributeRemoved(PersonAttribute attribute)
    {
        var key = (attribute.PersonId, attribute.Name);
        if (_attributes.TryGetValue(key, out var tracked))
        {
            if (tracked.Original is null)
            {
                _attributes.Remove(key);
            }
            else
            {
                tracked.Deleted = true;
            }
        }
    }

    /// <summary>After the save: what was written is now what the rows hold.</summary>
    public void Written()
    {
        foreach (var person in _added)
        {
            PersonRead(person);
        }

        _added.Clear();
        foreach (var tracked in _people.Values)
        {
            tracked.Original = Copy(tracked.Entity);
        }

        foreach (var (key, tracked) in _attributes.ToList())
        {
            if (tracked.Deleted)
            {
                _attributes.Remove(key);
            }
            else
            {
                tracked.Original = Copy(tracked.Entity);
            }
        }
    }

    /// <summary>Gives every tracked row to EF Core's change tracker, with its original values, and forgets them.</summary>
    public void HandOver(PeopleAdminDbContext db)
    {
        foreach (var person in _added)
        {
            db.People.Add(person);
        }

        foreach (var tracked in _people.Values)
        {
            db.People.Attach(tracked.Entity);
            db.Entry(tracked.Entity).OriginalValues.SetValues(tracked.Original);
        }

        foreach (var tracked in _attributes.Values)
        {
            if (tracked.Original is null)
            {
                db.PersonAttributes.Add(tracked.Entity);
                continue;
            }

            db.PersonAttributes.Attach(tracked.Entity);
            db.Entry(tracked.Entity).OriginalValues.SetValues(tracked.Original);
            if (tracked.Deleted)
            {
                db.PersonAttributes.Remove(tracked.Entity);
            }
        }

        db.ChangeTracker.DetectChanges();
        Clear();
    }

    public void Clear()
    {
        _people.Clear();
        _added.Clear();
        _attributes.Clear();
        _attributesRead.Clear();
    }

    private static Person Copy(Person person) => PersonRow.Copy(person);

    private static PersonAttribute Copy(PersonAttribute attribute) => attribute.CopyFor(attribute.PersonId);

    internal sealed class TrackedPerson(Person entity)
    {
        public Person Entity { get; } = entity;

        public required Person Original { get; set; }
    }

    internal sealed class TrackedAttribute(PersonAttribute entity)
    {
        public PersonAttribute Entity { get; } = entity;

        /// <summary>The row as read or last written; null for an attribute this operation adds.</summary>
        public PersonAttribute? Original { get; set; }

        public bool Deleted { get; set; }

        public bool Changed => Original is null || Deleted
            || Original.Type != Entity.Type || Original.TextValue != Entity.TextValue || Original.NumberValue != Entity.NumberValue
            || Original.SetMs != Entity.SetMs || Original.Timestamp != Entity.Timestamp || Original.WorkspaceId != Entity.WorkspaceId;
    }
}
