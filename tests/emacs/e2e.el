;;; e2e.el --- The README's Eglot set-up, end to end, in a real Emacs  -*- lexical-binding: t -*-

;; Run by tests/e2e/editors/emacs.rs (or by hand, from anywhere):
;;
;;   HOME=$(mktemp -d) emacs --batch --no-site-file -l tests/emacs/e2e.el
;;
;; Environment: DOSSIER_BIN, the server binary (default
;; <repo>/target/debug/dossier).  `--batch' reads no init file, and a scratch
;; HOME keeps the user's packages out; `--no-site-file' skips the site's start
;; file.  Packages (Debian's elpa-eglot and elpa-markdown-mode, or ELPA's) are
;; activated as an interactive start does before reading the init file; then
;; the only configuration loaded is tests/emacs/init.el, the README's snippet
;; verbatim (tests/e2e/editors/emacs.rs checks the README holds it).
;;
;; The example workspace is copied into a subfolder of a fresh Git repository
;; (so project.el alone would pick the repository's root), and the note is
;; opened as a user would: `find-file', then one command loop turn, which is
;; when `eglot-ensure' connects.  Checks: Eglot's project root is the folder
;; holding dossier.toml; Flymake shows exactly what `dossier check --hints'
;; reports for the note (the unsourced-claim warning and two untagged-mention
;; hints), with their ranges; ElDoc shows the hover card of @putin and of @china
;; (the latter after a ’ on its line, so UTF-16 columns are exercised); and
;; `xref-find-definitions' on both lands on their definition lines in
;; actors.md.  Prints "all checks passed" and exits 0, or prints "FAIL: ..."
;; and exits 1 (also when it gives up, after `dossier-e2e-deadline' seconds),
;; or prints "SKIP: ..." and exits 3 when Eglot or markdown-mode is missing.

;;; Code:

(require 'cl-lib)

;; Eglot binds this around its project.el queries (the snippet's hook reads it).
(defvar eglot-lsp-context)

(defconst dossier-e2e-deadline 50
  "Seconds after which the whole run gives up (tests/e2e/editors/emacs.rs kills at 60).")

(defvar dossier-e2e-started (float-time))

(defun dossier-e2e-log (fmt &rest args)
  (message "[%5.1fs] %s" (- (float-time) dossier-e2e-started) (apply #'format fmt args)))

(defun dossier-e2e-dump-events ()
  "Print the tail of every Eglot events buffer, to see what went wrong."
  (dolist (buf (buffer-list))
    (when (string-match-p "EGLOT.*events" (buffer-name buf))
      (with-current-buffer buf
        (let ((start (save-excursion (goto-char (point-max)) (forward-line -60) (point))))
          (message "--- last lines of %s ---\n%s" (buffer-name)
                   (buffer-substring-no-properties start (point-max))))))))

(defun dossier-e2e-fail (fmt &rest args)
  (message "FAIL: %s" (apply #'format fmt args))
  (dossier-e2e-dump-events)
  (kill-emacs 1))

;; The deadline: a timer fires while Emacs waits for the server, which is
;; where a hang would be.
(run-at-time dossier-e2e-deadline nil
             (lambda ()
               (dossier-e2e-fail "gave up after %ss (Emacs end-to-end test timed out)"
                                 dossier-e2e-deadline)))

(defun dossier-e2e-wait (what pred &optional seconds)
  "Wait until PRED returns non-nil (returned), or fail naming WHAT."
  (let ((until (+ (float-time) (or seconds 20)))
        result)
    (while (and (not (setq result (funcall pred)))
                (< (float-time) until))
      (accept-process-output nil 0.05))
    (or result (dossier-e2e-fail "timed out waiting for %s" what))))

(defun dossier-e2e-check (ok fmt &rest args)
  (if ok
      (dossier-e2e-log "ok: %s" (apply #'format fmt args))
    (apply #'dossier-e2e-fail fmt args)))

(defun dossier-e2e-goto (text &optional offset)
  "Put point OFFSET characters into the first occurrence of TEXT."
  (goto-char (point-min))
  (unless (search-forward text nil t)
    (dossier-e2e-fail "%S not found in %s" text (buffer-name)))
  (goto-char (+ (match-beginning 0) (or offset 0))))

(defun dossier-e2e-position (pos)
  "POS as \"LINE:COLUMN\", both 1-based, columns in characters."
  (save-excursion
    (goto-char pos)
    (format "%d:%d" (line-number-at-pos) (1+ (current-column)))))

;;; Set-up: the binary, the packages, the README's snippet.

(defvar dossier-e2e-repo
  (file-name-as-directory
   (expand-file-name "../.." (file-name-directory (or load-file-name buffer-file-name)))))

(defvar dossier-e2e-bin
  (let ((bin (getenv "DOSSIER_BIN")))
    (if (and bin (not (equal bin "")))
        (expand-file-name bin)
      (expand-file-name "target/debug/dossier" dossier-e2e-repo))))

(unless (file-executable-p dossier-e2e-bin)
  (dossier-e2e-fail "no server binary at %s (set DOSSIER_BIN or build it)" dossier-e2e-bin))

(defvar dossier-e2e-tmp (file-name-as-directory (make-temp-file "dossier-emacs-e2e" t)))
(add-hook 'kill-emacs-hook
          (lambda () (ignore-errors (delete-directory dossier-e2e-tmp t))))

;; The snippet starts "dossier" from PATH: put a `dossier' pointing at the
;; binary under test first on it (the binary may have any name).
(let ((bin (expand-file-name "bin/" dossier-e2e-tmp)))
  (make-directory bin t)
  (make-symbolic-link dossier-e2e-bin (expand-file-name "dossier" bin))
  (setenv "PATH" (concat bin path-separator (getenv "PATH")))
  (push bin exec-path))

;; An interactive start activates the installed packages before reading the
;; init file; batch mode does not.
(require 'package)
(package-activate-all)
;; Without them there is nothing to test: exit 3, which tests/e2e/editors/emacs.rs reports
;; as a skip (or a failure with DOSSIER_REQUIRE_EMACS=1).
(dolist (feature '(eglot markdown-mode))
  (unless (locate-library (symbol-name feature))
    (message "SKIP: the Emacs package %s is not installed (Debian: apt-get install elpa-eglot elpa-markdown-mode)"
             feature)
    (kill-emacs 3)))

(load (expand-file-name "tests/emacs/init.el" dossier-e2e-repo) nil t)

(dossier-e2e-log "%s, %s; server %s" (car (split-string (emacs-version) "\n"))
                 (mapconcat (lambda (f)
                              (let ((file (locate-library (symbol-name f))))
                                (file-name-nondirectory
                                 (directory-file-name (file-name-directory file)))))
                            '(eglot markdown-mode project) ", ")
                 dossier-e2e-bin)

;;; The workspace: the example, in a subfolder of a Git repository.

(defvar dossier-e2e-repo-copy (expand-file-name "repo/" dossier-e2e-tmp))
(defvar dossier-e2e-workspace (expand-file-name "notes/china-russia/" dossier-e2e-repo-copy))

(make-directory dossier-e2e-workspace t)
(dolist (file (directory-files (expand-file-name "examples/china-russia" dossier-e2e-repo) t
                               "\\`[^.]"))
  (copy-file file dossier-e2e-workspace))
(unless (eq 0 (call-process "git" nil nil nil "init" "-q" dossier-e2e-repo-copy))
  (dossier-e2e-fail "git init failed"))

;;; The note, opened as a user would.

(defvar dossier-e2e-note (expand-file-name "diplomat-2014-06-02.md" dossier-e2e-workspace))
(defvar dossier-e2e-actors (expand-file-name "actors.md" dossier-e2e-workspace))

(find-file dossier-e2e-note)
(defvar dossier-e2e-note-buffer (current-buffer))
(dossier-e2e-check (derived-mode-p 'markdown-mode) "the note opens in %s" major-mode)
;; `eglot-ensure' connects after the command that visited the file: run the
;; end of that command loop turn.
(run-hooks 'post-command-hook)

(defvar dossier-e2e-server
  (dossier-e2e-wait "Eglot to manage the note"
                    (lambda () (with-current-buffer dossier-e2e-note-buffer
                                 (and (bound-and-true-p eglot--managed-mode)
                                      (eglot-current-server))))))

(dossier-e2e-check (equal (plist-get (eglot--server-info dossier-e2e-server) :name) "dossier")
                   "Eglot talks to %S" (eglot--server-info dossier-e2e-server))
(let ((root (project-root (eglot--project dossier-e2e-server))))
  (dossier-e2e-check (file-equal-p root dossier-e2e-workspace)
                     "Eglot's project root is the folder holding dossier.toml (%s)" root))

;; Without the snippet's `dossier-project-root', project.el would give
;; Eglot the repository's root: the set-up above would not test it.
(let ((default-directory dossier-e2e-workspace)
      (project-find-functions (remq 'dossier-project-root project-find-functions))
      (eglot-lsp-context t))
  (let ((root (project-root (project-current))))
    (dossier-e2e-check (file-equal-p root dossier-e2e-repo-copy)
                       "without the snippet's hook, project.el's root is the Git repository (%s)"
                       root)))

;;; 1. Diagnostics, through Flymake.

;; What `dossier check diplomat-2014-06-02.md --hints --format json' reports
;; (lines and columns 1-based, columns in characters, ends exclusive): the
;; range, the text it covers, the Flymake type and a part of the message.
(defconst dossier-e2e-expected-diagnostics
  '(("27:95-27:100" "China" eglot-note "names the actor `@china`")
    ("50:1-50:72" "{that has seriously damaged [Russia](@russia)-West relations | @us @eu}"
     eglot-warning "claim cites no source")
    ("55:10-56:111" "{there are mutual strategic needs as both [China](@china) and [Russia](@russia) want to create a multipolar world that is not dominated by [the U.S.](@us)
| #multipolar kind:assessment conf:high by:@diplomat ^diplomat-2014-06-02(para. 3) supports:#strategic-reason}"
     eglot-note "high confidence, but it rests on one source")
    ("62:39-63:83" "{the [NATO](@nato) expansion is a serious threat to [Russia](@russia)’s national security
| #nato-threat kind:assessment conf:high by:@russia ^diplomat-2014-06-02(para. 3)}"
     eglot-note "high confidence, but it rests on one source")
    ("84:50-84:55" "China" eglot-note "names the actor `@china`")
    ("111:3-112:83" "{The price clause of the contract will be made public before the end of 2015
  | #price-public kind:forecast est:unlikely due:2015 by:@analyst ^osw-2014-06-16}"
     eglot-note "forecast was due 2015 and is not resolved")))

(defun dossier-e2e-flymake ()
  "The note's Flymake diagnostics, in order, as in the constant above."
  (with-current-buffer dossier-e2e-note-buffer
    (mapcar (lambda (diag)
              (let ((beg (flymake-diagnostic-beg diag))
                    (end (flymake-diagnostic-end diag)))
                (list (concat (dossier-e2e-position beg) "-" (dossier-e2e-position end))
                      (buffer-substring-no-properties beg end)
                      (flymake-diagnostic-type diag)
                      (flymake-diagnostic-text diag))))
            (sort (flymake-diagnostics)
                  (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))))

(defun dossier-e2e-flymake-as-expected-p (got)
  (and (= (length got) (length dossier-e2e-expected-diagnostics))
       (cl-every (lambda (g e)
                   (and (equal (butlast g) (butlast e))
                        (string-search (car (last e)) (car (last g)))))
                 got dossier-e2e-expected-diagnostics)))

;; Wait for the expected set (an early publication may be partial), then
;; give a late extra diagnostic time to show up before the final look.
(let ((until (+ (float-time) 15)))
  (while (and (not (dossier-e2e-flymake-as-expected-p (dossier-e2e-flymake)))
              (< (float-time) until))
    (accept-process-output nil 0.05)))
(accept-process-output nil 0.3)
(with-current-buffer dossier-e2e-note-buffer
  (let ((got (dossier-e2e-flymake)))
    (dossier-e2e-check (dossier-e2e-flymake-as-expected-p got)
                       "Flymake shows what `dossier check --hints' reports:%s"
                       (if got (mapconcat (lambda (d) (format "\n    %S" d)) got "") " nothing"))
    ;; The same range found by searching the text.
    (dossier-e2e-goto "{that has seriously damaged")
    (let* ((beg (point))
           (end (progn (search-forward "@us @eu}") (point)))
           (diag (car (flymake-diagnostics beg))))
      (dossier-e2e-check (and diag (= (flymake-diagnostic-beg diag) beg)
                              (= (flymake-diagnostic-end diag) end)
                              (string-match-p "claim cites no source" (flymake-diagnostic-text diag)))
                         "the unsourced-claim warning covers the claim found by search: %S"
                         (and diag (flymake-diagnostic-text diag))))))

;;; 2. Hover, through ElDoc.

(defun dossier-e2e-hover (text offset)
  "The ElDoc documentation shown with point OFFSET characters into TEXT."
  (switch-to-buffer dossier-e2e-note-buffer)
  (dossier-e2e-goto text offset)
  (let* ((shown nil)
         ;; Called once the server has answered, with no DOCS if it had
         ;; nothing to show.
         (capture (lambda (docs _interactive)
                    (setq shown (mapconcat (lambda (doc) (substring-no-properties (car doc)))
                                           docs "\n"))))
         (eldoc-display-functions (cons capture eldoc-display-functions)))
    ;; What M-x eldoc does.
    (eldoc-print-current-symbol-info t)
    (dossier-e2e-wait (format "ElDoc at %S" text) (lambda () shown))))

(let ((doc (dossier-e2e-hover "(@putin)" 3)))
  (dossier-e2e-check (string-match-p "Vladimir Putin" doc)
                     "ElDoc on @putin shows its card: %S" (car (split-string doc "\n"))))
;; On line 18, after "Putin](@putin)’s visit to [China]": point on the "@".
(let ((doc (dossier-e2e-hover "’s visit to [China](@china)" (length "’s visit to [China]("))))
  (dossier-e2e-check (string-match-p "People’s Republic of China" doc)
                     "ElDoc on @china after ’ shows its card: %S" (car (split-string doc "\n"))))

;;; 3. Definition, through xref.

(defun dossier-e2e-definition (text offset id)
  "Run `xref-find-definitions' OFFSET characters into TEXT; check it reaches ID:."
  (switch-to-buffer dossier-e2e-note-buffer)
  (dossier-e2e-goto text offset)
  (call-interactively #'xref-find-definitions)
  (let ((file buffer-file-name)
        (where (dossier-e2e-position (point)))
        (expected (with-current-buffer (find-file-noselect dossier-e2e-actors)
                    (dossier-e2e-goto (concat "\n" id ":") 1)
                    (dossier-e2e-position (point)))))
    (dossier-e2e-check (and file (file-equal-p file dossier-e2e-actors)
                            (equal where expected)
                            (looking-at-p (regexp-quote (concat id ":"))))
                       "xref-find-definitions on %s lands on actors.md:%s (%s:%s)"
                       id expected (and file (file-name-nondirectory file)) where)))

(dossier-e2e-definition "(@putin)" 3 "@putin")
(dossier-e2e-definition "’s visit to [China](@china)" (length "’s visit to [China](") "@china")

;;; Done.

(let ((inhibit-message t))
  (ignore-errors (eglot-shutdown dossier-e2e-server)))
(dossier-e2e-log "all checks passed")
(kill-emacs 0)

;;; e2e.el ends here
