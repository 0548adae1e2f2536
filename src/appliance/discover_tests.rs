//! Tests of the discovery: role and reasons, the FTD's fallback, rotations and runs, links and FIFOs.

use super::*;

fn put(root: &Path, device: &str, text: &str) {
    let p = root.join(device.trim_start_matches('/'));
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn looked<'a>(d: &'a Discovery, what: &str) -> &'a Looked {
    d.looked.iter().find(|l| l.what == what).unwrap()
}

#[test]
fn the_role_comes_from_ims_conf_and_ngfw_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "/ngfw/etc/sf/ims.conf", "MODEL_TYPE=SENSOR\nMODEL=Cisco Firepower Threat Defense for KVM\n");
    let d = discover(dir.path());
    assert_eq!(d.role, Role::Ftd);
    assert_eq!(
        d.why,
        [
            "/ngfw/etc/sf/ims.conf describes an FTD (Cisco Firepower Threat Defense for KVM)",
            "/ngfw is a folder: an FTD keeps sftunnel's files there"
        ]
    );
    // An ims.conf naming an FMC wins over a /ngfw folder, and the conflict is said.
    put(dir.path(), "/etc/sf/ims.conf", "MODEL_TYPE=CONSOLE\n");
    std::fs::remove_file(dir.path().join("ngfw/etc/sf/ims.conf")).unwrap();
    let d = discover(dir.path());
    assert_eq!(d.role, Role::Fmc);
    assert!(d.why.last().unwrap().contains("although /ngfw is there"), "{:?}", d.why);
    // Without ims.conf, the InternalCA's file tells an FMC (inferred); nothing tells nothing.
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "/etc/sf/ca_root/cacert.pem", "x");
    assert_eq!(discover(dir.path()).role, Role::Fmc);
    let empty = tempfile::tempdir().unwrap();
    let d = discover(empty.path());
    assert_eq!(d.role, Role::Unknown);
    assert!(d.files().next().is_none());
    assert_eq!(d.looked.len(), 11);
}

#[test]
fn an_ftd_falls_back_to_the_plain_path_and_says_what_is_absent() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "/ngfw/etc/sf/ims.conf", "MODEL_TYPE=SENSOR\n");
    put(dir.path(), "/var/log/messages", "x");
    put(dir.path(), "/var/log/messages.1", "x");
    let d = discover(dir.path());
    let log = looked(&d, "sftunneld's log");
    assert_eq!(log.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>().len(), 2);
    assert!(log.files.iter().all(|f| f.path.starts_with("/var/log/messages")));
    let peers = looked(&d, "its FMC's folder (InternalCA, its certificate and key)");
    assert!(peers.files.is_empty());
    assert_eq!(peers.absence(), format!("{}: not there: /ngfw/var/sf/peers/, /var/sf/peers/", peers.what));
}

#[test]
fn rotations_come_oldest_first_and_the_newest_failed_push_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "/etc/sf/ims.conf", "MODEL_TYPE=CONSOLE\n");
    for (name, age) in [("messages", 0), ("messages.1", 1), ("messages.2.gz", 2), ("messages-old", 3), ("other", 0)] {
        put(dir.path(), &format!("/var/log/{name}"), "x");
        let t = std::time::SystemTime::now() - std::time::Duration::from_secs(3600 * age);
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("var/log").join(name))
            .unwrap()
            .set_modified(t)
            .unwrap();
    }
    put(dir.path(), "/var/tmp/certs/1700000000/FAILED_PUSH", "x");
    put(dir.path(), "/var/tmp/certs/1773480000/FAILED_PUSH", "x");
    std::fs::create_dir_all(dir.path().join("var/tmp/certs/1780000000")).unwrap();
    let d = discover(dir.path());
    let log: Vec<&str> = looked(&d, "sftunneld's log").files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(log, ["/var/log/messages-old", "/var/log/messages.2.gz", "/var/log/messages.1", "/var/log/messages"]);
    let push = looked(&d, "the newest FAILED_PUSH of generate_certs.pl");
    assert_eq!(push.files[0].path, "/var/tmp/certs/1773480000/FAILED_PUSH");
    assert_eq!(push.files.len(), 1);
    assert!(push.problems[0].contains("a later run (1780000000) wrote no FAILED_PUSH"), "{:?}", push.problems);
}

#[test]
fn links_out_of_the_root_and_fifos_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "x").unwrap();
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "/etc/sf/ims.conf", "MODEL_TYPE=CONSOLE\n");
    std::fs::create_dir_all(dir.path().join("etc/sf/ca_root")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("etc/sf/ca_root/cacert.pem")).unwrap();
    let fifo = dir.path().join("etc/sf/sftunnel.conf");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // A link that stays inside the root is followed.
    std::fs::create_dir_all(dir.path().join("data/peers/0c5e8f21-7e3c-11e8-a4b2-5254003c9d05")).unwrap();
    std::fs::write(dir.path().join("data/peers/0c5e8f21-7e3c-11e8-a4b2-5254003c9d05/sftunnel.json"), "{}").unwrap();
    std::fs::create_dir_all(dir.path().join("var/sf")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("data/peers"), dir.path().join("var/sf/peers")).unwrap();
    let d = discover(dir.path());
    let ca = looked(&d, "the InternalCA");
    assert!(ca.files.is_empty());
    assert_eq!(ca.problems, ["/etc/sf/ca_root/cacert.pem: a link out of the root, not followed"]);
    let conf = looked(&d, "sftunnel configuration");
    assert_eq!(conf.problems, ["/etc/sf/sftunnel.conf: a FIFO (named pipe), not read"]);
    let peers = looked(&d, "one folder per managed device");
    assert_eq!(peers.files[0].path, "/var/sf/peers/0c5e8f21-7e3c-11e8-a4b2-5254003c9d05/sftunnel.json");
}

#[test]
fn the_messages_log_to_follow_is_the_ftds_under_ngfw_and_the_fmcs_plain() {
    let ftd = tempfile::tempdir().unwrap();
    put(ftd.path(), "/ngfw/etc/sf/ims.conf", "MODEL_TYPE=SENSOR\n");
    assert_eq!(messages_log(ftd.path()), ftd.path().join("ngfw/var/log/messages"), "not there yet: the FTD's place");
    put(ftd.path(), "/var/log/messages", "x\n");
    assert_eq!(messages_log(ftd.path()), ftd.path().join("var/log/messages"), "the one that is there");
    put(ftd.path(), "/ngfw/var/log/messages", "x\n");
    assert_eq!(messages_log(ftd.path()), ftd.path().join("ngfw/var/log/messages"));
    let fmc = tempfile::tempdir().unwrap();
    put(fmc.path(), "/etc/sf/ims.conf", "MODEL_TYPE=CONSOLE\n");
    assert_eq!(messages_log(fmc.path()), fmc.path().join("var/log/messages"));
}
