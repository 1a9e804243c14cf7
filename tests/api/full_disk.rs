//! A full disk for tests, without mounting anything: a SQLite VFS that wraps the default one
//! and, once a folder is declared full, fails every write that needs new space in it with
//! `SQLITE_FULL`, which is what the unix VFS reports on `ENOSPC`. Writes inside a file's
//! current size still pass, as on a real full disk (the WAL is rewritten in place after a
//! checkpoint). SQLite then takes the very path of a real full disk: the WAL append of a
//! COMMIT fails and SQLite rolls the whole transaction back by itself.
//!
//! A database opts in with `?vfs=full-disk-test` in its URL.

use libsqlite3_sys as ffi;
use std::ffi::{CStr, c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::{Mutex, Once};

pub const VFS: &str = "full-disk-test";
const VFS_C: &CStr = c"full-disk-test";

static REGISTER: Once = Once::new();
static REAL: AtomicPtr<ffi::sqlite3_vfs> = AtomicPtr::new(std::ptr::null_mut());
/// Folders that can be made full, each with its switch.
static FOLDERS: Mutex<Vec<(PathBuf, &'static AtomicBool)>> = Mutex::new(Vec::new());

/// The switch that makes `dir`'s disk full (`true`) or gives its space back (`false`).
pub fn switch_for(dir: &Path) -> &'static AtomicBool {
    REGISTER.call_once(register);
    let flag: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    FOLDERS
        .lock()
        .expect("folders")
        .push((dir.to_path_buf(), flag));
    flag
}

#[repr(C)]
struct File {
    base: ffi::sqlite3_file,
    real: *mut ffi::sqlite3_file,
    full: *const AtomicBool,
}

/// The real file's part of the memory SQLite gives for a file, after ours.
const HEADER: usize = std::mem::size_of::<File>().next_multiple_of(16);

fn register() {
    // SAFETY: the default VFS lives as long as the process; ours is leaked likewise.
    unsafe {
        let real = ffi::sqlite3_vfs_find(std::ptr::null());
        assert!(!real.is_null(), "a default VFS");
        REAL.store(real, Ordering::Release);
        let mut vfs = *real;
        vfs.zName = VFS_C.as_ptr();
        vfs.pNext = std::ptr::null_mut();
        vfs.szOsFile = (HEADER as c_int) + (*real).szOsFile;
        vfs.xOpen = Some(open);
        let vfs: &'static mut ffi::sqlite3_vfs = Box::leak(Box::new(vfs));
        assert_eq!(ffi::sqlite3_vfs_register(vfs, 0), ffi::SQLITE_OK);
    }
}

fn switch_of(name: *const c_char) -> *const AtomicBool {
    if name.is_null() {
        return std::ptr::null();
    }
    // SAFETY: SQLite passes a NUL-terminated path.
    let path = unsafe { CStr::from_ptr(name) }
        .to_string_lossy()
        .into_owned();
    FOLDERS
        .lock()
        .map(|folders| {
            folders
                .iter()
                .find(|(dir, _)| Path::new(&path).starts_with(dir))
                .map(|(_, flag)| *flag as *const AtomicBool)
                .unwrap_or(std::ptr::null())
        })
        .unwrap_or(std::ptr::null())
}

unsafe extern "C" fn open(
    _vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    // SAFETY: SQLite gives `szOsFile` bytes at `file`; the real file takes those after ours.
    unsafe {
        let real_vfs = REAL.load(Ordering::Acquire);
        let ours = file as *mut File;
        let real = (file as *mut u8).add(HEADER) as *mut ffi::sqlite3_file;
        (*ours).base.pMethods = std::ptr::null();
        let rc = ((*real_vfs).xOpen.expect("xOpen"))(real_vfs, name, real, flags, out_flags);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        (*ours).real = real;
        (*ours).full = switch_of(name);
        (*ours).base.pMethods = &METHODS;
        rc
    }
}

unsafe fn real(file: *mut ffi::sqlite3_file) -> (*mut ffi::sqlite3_file, ffi::sqlite3_io_methods) {
    // SAFETY: every file with our methods was opened by `open`.
    unsafe {
        let real = (*(file as *mut File)).real;
        (real, *(*real).pMethods)
    }
}

unsafe extern "C" fn write(
    file: *mut ffi::sqlite3_file,
    data: *const c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        let full = (*(file as *mut File)).full;
        if !full.is_null() && (*full).load(Ordering::Acquire) {
            let mut size: ffi::sqlite3_int64 = 0;
            let rc = (m.xFileSize.expect("xFileSize"))(r, &mut size);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
            if offset + ffi::sqlite3_int64::from(amount) > size {
                return ffi::SQLITE_FULL;
            }
        }
        (m.xWrite.expect("xWrite"))(r, data, amount, offset)
    }
}

unsafe extern "C" fn truncate(file: *mut ffi::sqlite3_file, size: ffi::sqlite3_int64) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xTruncate.expect("xTruncate"))(r, size)
    }
}

unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xClose.expect("xClose"))(r)
    }
}

unsafe extern "C" fn read(
    file: *mut ffi::sqlite3_file,
    data: *mut c_void,
    amount: c_int,
    offset: ffi::sqlite3_int64,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xRead.expect("xRead"))(r, data, amount, offset)
    }
}

unsafe extern "C" fn sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xSync.expect("xSync"))(r, flags)
    }
}

unsafe extern "C" fn file_size(
    file: *mut ffi::sqlite3_file,
    size: *mut ffi::sqlite3_int64,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xFileSize.expect("xFileSize"))(r, size)
    }
}

unsafe extern "C" fn lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xLock.expect("xLock"))(r, level)
    }
}

unsafe extern "C" fn unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xUnlock.expect("xUnlock"))(r, level)
    }
}

unsafe extern "C" fn check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xCheckReservedLock.expect("xCheckReservedLock"))(r, out)
    }
}

unsafe extern "C" fn file_control(
    file: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xFileControl.expect("xFileControl"))(r, op, arg)
    }
}

unsafe extern "C" fn sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xSectorSize.expect("xSectorSize"))(r)
    }
}

unsafe extern "C" fn device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xDeviceCharacteristics.expect("xDeviceCharacteristics"))(r)
    }
}

unsafe extern "C" fn shm_map(
    file: *mut ffi::sqlite3_file,
    page: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xShmMap.expect("xShmMap"))(r, page, size, extend, out)
    }
}

unsafe extern "C" fn shm_lock(
    file: *mut ffi::sqlite3_file,
    offset: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xShmLock.expect("xShmLock"))(r, offset, n, flags)
    }
}

unsafe extern "C" fn shm_barrier(file: *mut ffi::sqlite3_file) {
    unsafe {
        let (r, m) = real(file);
        (m.xShmBarrier.expect("xShmBarrier"))(r)
    }
}

unsafe extern "C" fn shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xShmUnmap.expect("xShmUnmap"))(r, delete)
    }
}

unsafe extern "C" fn fetch(
    file: *mut ffi::sqlite3_file,
    offset: ffi::sqlite3_int64,
    amount: c_int,
    out: *mut *mut c_void,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xFetch.expect("xFetch"))(r, offset, amount, out)
    }
}

unsafe extern "C" fn unfetch(
    file: *mut ffi::sqlite3_file,
    offset: ffi::sqlite3_int64,
    p: *mut c_void,
) -> c_int {
    unsafe {
        let (r, m) = real(file);
        (m.xUnfetch.expect("xUnfetch"))(r, offset, p)
    }
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(close),
    xRead: Some(read),
    xWrite: Some(write),
    xTruncate: Some(truncate),
    xSync: Some(sync),
    xFileSize: Some(file_size),
    xLock: Some(lock),
    xUnlock: Some(unlock),
    xCheckReservedLock: Some(check_reserved_lock),
    xFileControl: Some(file_control),
    xSectorSize: Some(sector_size),
    xDeviceCharacteristics: Some(device_characteristics),
    xShmMap: Some(shm_map),
    xShmLock: Some(shm_lock),
    xShmBarrier: Some(shm_barrier),
    xShmUnmap: Some(shm_unmap),
    xFetch: Some(fetch),
    xUnfetch: Some(unfetch),
};
