using System.Linq.Expressions;

namespace MLSystemDesign.Data.Internal;

/// <summary>
/// Reads the mapped fields of a record as <see cref="FieldValue"/>s, through getters compiled once per type. Validation,
/// expectation inference and fingerprinting all look at records through this one view.
/// </summary>
internal sealed class RecordAccessor<T>
{
    private readonly Func<T, FieldValue>[] _getters;

    private RecordAccessor(RecordSchema schema, Func<T, FieldValue>[] getters)
    {
        Schema = schema;
        _getters = getters;
    }

    public RecordSchema Schema { get; }

    public int Count => _getters.Length;

    public FieldValue Get(T record, int field) => _getters[field](record);

    /// <summary>The accessor of a typed record, or of tabular records with the given schema.</summary>
    public static RecordAccessor<T> Create(RecordSchema? tabularSchema = null, RecordMap<T>? map = null)
    {
        if (typeof(T) == typeof(TabularRecord))
        {
            var schema = tabularSchema ?? throw new ArgumentNullException(nameof(tabularSchema), "Tabular records need their schema.");
            var getters = new Func<T, FieldValue>[schema.Count];
            for (var i = 0; i < getters.Length; i++)
            {
                var ordinal = i;
                getters[i] = r => ((TabularRecord)(object)r!)[ordinal];
            }

            return new RecordAccessor<T>(schema, getters);
        }

        map ??= RecordMap<T>.ByConvention();
        return new RecordAccessor<T>(map.ToSchema(), map.Members.Select(Compile).ToArray());
    }

    private static Func<T, FieldValue> Compile(MappedMember member)
    {
        var record = Expression.Parameter(typeof(T), "r");
        Expression value = Expression.Property(record, member.Property);
        var u = member.UnderlyingType;
        var nullable = Nullable.GetUnderlyingType(member.Type) is not null;
        Expression present = nullable ? Expression.Property(value, "Value") : value;
        var convert = ConvertToFieldValue(present, u);
        Expression body = nullable
            ? Expression.Condition(Expression.Property(value, "HasValue"), convert, Expression.Constant(FieldValue.Missing))
            : convert;
        return Expression.Lambda<Func<T, FieldValue>>(body, record).Compile();
    }

    private static Expression ConvertToFieldValue(Expression v, Type u)
    {
        if (MappedMember.KindOf(u) == FieldKind.Numeric)
        {
            return Expression.Call(typeof(FieldValue).GetMethod(nameof(FieldValue.FromNumber))!, Expression.Convert(v, typeof(double)));
        }

        if (u == typeof(bool))
        {
            return Expression.Call(typeof(FieldValue).GetMethod(nameof(FieldValue.FromBoolean))!, v);
        }

        if (u == typeof(string))
        {
            return Expression.Call(typeof(FieldValue).GetMethod(nameof(FieldValue.FromText))!, v);
        }

        if (u.IsEnum)
        {
            return Expression.Call(typeof(FieldValue).GetMethod(nameof(FieldValue.FromText))!, Expression.Call(v, typeof(object).GetMethod(nameof(ToString))!));
        }

        var fromTimestamp = typeof(FieldValue).GetMethod(nameof(FieldValue.FromTimestamp))!;
        if (u == typeof(DateTime))
        {
            return Expression.Call(fromTimestamp, v);
        }

        if (u == typeof(DateTimeOffset))
        {
            return Expression.Call(fromTimestamp, Expression.Property(v, nameof(DateTimeOffset.UtcDateTime)));
        }

        if (u == typeof(DateOnly))
        {
            return Expression.Call(fromTimestamp, Expression.Call(v, typeof(DateOnly).GetMethod(nameof(DateOnly.ToDateTime), [typeof(TimeOnly)])!, Expression.Constant(TimeOnly.MinValue)));
        }

        throw new InvalidOperationException($"Unsupported member type {u}.");
    }
}
