(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((markdown-mode gfm-mode) . ("dossier" "lsp"))))

;; Start it automatically in Markdown buffers (otherwise: M-x eglot).
(add-hook 'markdown-mode-hook #'eglot-ensure)

;; Give Eglot the folder holding dossier.toml as the project root, also when
;; it is inside a larger Git repository (project.el would pick the
;; repository's root; outside version control, the note's own folder).
(defun dossier-project-root (dir)
  (when-let ((root (and (bound-and-true-p eglot-lsp-context)
                        (locate-dominating-file dir "dossier.toml"))))
    (cons 'transient root)))
(with-eval-after-load 'project
  (add-hook 'project-find-functions #'dossier-project-root))
