using Microsoft.Extensions.DependencyInjection.Extensions;
using MLSystemDesign;
using MLSystemDesign.Business;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers business-metric mappers: an open set, chosen by name through <see cref="IBusinessMetricMapperResolver"/>.</summary>
public static class BusinessBuilderExtensions
{
    /// <summary>Registers a mapper (see <see cref="BusinessMappers"/>) and the resolver that finds mappers by name.</summary>
    /// <param name="builder">The ML system builder.</param>
    /// <param name="mapper">The mapper.</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddBusinessMapper(this MLSystemBuilder builder, IBusinessMetricMapper mapper)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(mapper);
        builder.Services.AddSingleton(mapper);
        builder.Services.TryAddSingleton<IBusinessMetricMapperResolver, BusinessMetricMapperResolver>();
        return builder;
    }

    /// <summary>Registers a mapper type built by the container, and the resolver.</summary>
    /// <typeparam name="TMapper">The mapper type.</typeparam>
    /// <param name="builder">The ML system builder.</param>
    /// <returns>The builder.</returns>
    public static MLSystemBuilder AddBusinessMapper<TMapper>(this MLSystemBuilder builder)
        where TMapper : class, IBusinessMetricMapper
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IBusinessMetricMapper, TMapper>());
        builder.Services.TryAddSingleton<IBusinessMetricMapperResolver, BusinessMetricMapperResolver>();
        return builder;
    }

    private sealed class BusinessMetricMapperResolver : IBusinessMetricMapperResolver
    {
        private readonly Dictionary<string, IBusinessMetricMapper> _mappers = new(StringComparer.OrdinalIgnoreCase);

        public BusinessMetricMapperResolver(IEnumerable<IBusinessMetricMapper> mappers)
        {
            foreach (var mapper in mappers)
            {
                if (_mappers.TryGetValue(mapper.Name, out var existing) && !ReferenceEquals(existing, mapper))
                {
                    throw new InvalidOperationException($"Two business-metric mappers are named '{mapper.Name}': {existing.Description} and {mapper.Description}.");
                }

                _mappers[mapper.Name] = mapper;
            }
        }

        public IReadOnlyCollection<string> Names => _mappers.Keys;

        public IBusinessMetricMapper Get(string name) => _mappers.TryGetValue(name, out var mapper)
            ? mapper
            : throw new KeyNotFoundException($"No business-metric mapper '{name}' is registered. Registered: {(_mappers.Count == 0 ? "none (call AddBusinessMapper)" : string.Join(", ", _mappers.Keys))}.");
    }
}
