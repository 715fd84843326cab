"""Zarr arrays written by zarr-python for tests/zarr.rs: every codec and layout rask reads.
Prints each case (name, dtype, shape, chunks, values) as rask must print it."""
import sys, zarr, numcodecs, numpy as np
from zarr.codecs import BloscCodec, GzipCodec, ZstdCodec, ShardingCodec, BytesCodec, TransposeCodec, Crc32cCodec
d = sys.argv[1]
cases = []
def v2(name, data, chunks, compressor, **kw):
    z = zarr.create(store=f'{d}/{name}', shape=data.shape, chunks=chunks, dtype=data.dtype, zarr_format=2, compressor=compressor, **kw)
    z[...] = data
    cases.append((name, None))


def v3(name, data, chunks, **kw):
    z = zarr.create_array(f'{d}/{name}', shape=data.shape, chunks=chunks, dtype=data.dtype, **kw)
    z[...] = data
    cases.append((name, None))
a = np.arange(35, dtype='f8').reshape(5, 7) / 4
v2('v2_blosc', a, (2, 3), numcodecs.Blosc())
v2('v2_blosc_bit', np.arange(150, dtype='i4') * 3, (64,), numcodecs.Blosc(cname='zstd', shuffle=numcodecs.Blosc.BITSHUFFLE))
v2('v2_blosclz', np.linspace(0, 1, 3000, dtype='f4'), (1000,), numcodecs.Blosc(cname='blosclz'))
v2('v2_blosc_zlib', np.arange(3000, dtype='i8') % 17, (1100,), numcodecs.Blosc(cname='zlib', shuffle=numcodecs.Blosc.NOSHUFFLE))
v2('v2_zstd', a, (2, 3), numcodecs.Zstd())
v2('v2_gzip', np.arange(24, dtype='i8').reshape(2, 3, 4), (1, 2, 3), numcodecs.GZip())
v2('v2_zlib', a, (3, 3), numcodecs.Zlib())
v2('v2_none', np.array([True, False, True, True, False]), (2,), None)
v2('v2_F', a, (2, 3), numcodecs.Zstd(), order='F')
v2('v2_slash', a, (2, 3), numcodecs.Zstd(), dimension_separator='/')
v2('v2_big', np.arange(10, dtype='>i8'), (4,), None)
z = zarr.create(store=f'{d}/v2_missing', shape=(6, 4), chunks=(2, 2), dtype='f8', zarr_format=2, fill_value=np.nan)
z[0:2, :] = 1.5
cases.append(('v2_missing', None))
v3('v3_zstd', a, (2, 3))
v3('v3_gzip', np.arange(20, dtype='i4').reshape(4, 5), (3, 2), compressors=GzipCodec())
v3('v3_blosc', a.astype('f4'), (2, 4), compressors=BloscCodec())
v3('v3_none', np.arange(7, dtype='i8'), (3,), compressors=None)
v3('v3_crc', a, (2, 2), compressors=[ZstdCodec(), Crc32cCodec()])
v3('v3_big', a, (2, 3), serializer=BytesCodec(endian='big'), compressors=None)
v3('v3_T', a, (2, 3), filters=[TransposeCodec(order=(1, 0))])
v3('v3_shard', np.arange(80, dtype='f8').reshape(8, 10), (2, 5), shards=(4, 10))
z = zarr.create_array(f'{d}/v3_shard_missing', shape=(8, 8), chunks=(2, 2), shards=(4, 4), dtype='i8', fill_value=-1)
z[0:2, 0:2] = 5
z[5, 5] = 9
cases.append(('v3_shard_missing', None))
z = zarr.create_array(f'{d}/v3_missing', shape=(5,), chunks=(2,), dtype='f4', fill_value=np.inf)
z[0:2] = 1
cases.append(('v3_missing', None))
g = zarr.open_group(f'{d}/grp.zarr', mode='w')
g.create_array('a/b', shape=(3,), dtype='i8')[:] = [1, 2, 3]
cases.append(('grp.zarr', 'a/b'))
for name, comp in cases:
    z = zarr.open_array(f'{d}/{name}', path=comp or '', mode='r')
    x = z[...]
    x = x.astype(x.dtype.newbyteorder('='))
    print(name, x.dtype, x.shape, z.chunks)
    print(repr(x if x.size <= 60 else x.ravel()[::97]))
